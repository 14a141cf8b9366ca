package org.jvirtd.driver.xen.internal.xl;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.model.domain.DomainXml;
import org.jvirtd.model.xml.SafeXml;

/**
 * libvirt domain XML to and from xl.cfg(5), the "xen-xl" native format of virConnectDomainXMLFromNative and
 * virConnectDomainXMLToNative. Pure functions of their text: no Xen host, no files.
 */
public final class XlConversion {
    /** The native format name virsh passes. */
    public static final String FORMAT = "xen-xl";
    /** libxl's firmware directory (Xen's xenfirmwaredir), where OVMF is found. */
    public static final String FIRMWARE_DIR = "/usr/lib/xen/boot";

    private XlConversion() {
    }

    /** domxml-from-native: the inactive, secure domain XML for an xl.cfg text. */
    public static String toDomainXml(String config) {
        return toDomainXml(config, FIRMWARE_DIR);
    }

    /** As {@link #toDomainXml(String)}, with OVMF looked for in {@code firmwareDir}. */
    public static String toDomainXml(String config, String firmwareDir) {
        String raw;
        try {
            raw = XlToDomain.convert(XlConfig.parse(config), firmwareDir);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            // a number or a list entry where the config has something else: libvirt fails these as unreadable
            throw XenConversionErrors.internal("malformed xl configuration: " + e.getMessage());
        }
        DomainDef def = DomainXml.parse(raw, DomainXml.INACTIVE);
        return DomainXml.format(def, -1, DomainXml.INACTIVE | DomainXml.SECURE);
    }

    /** domxml-to-native: the xl.cfg text for a domain XML document. */
    public static String toXlConfig(String domainXml) {
        DomainDef def = DomainXml.parse(domainXml, DomainXml.INACTIVE);
        if (!"xen".equals(def.type())) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LIBXL,
                "could not find capabilities for domaintype=" + def.type());
        }
        String canonical = DomainXml.format(def, -1, DomainXml.INACTIVE | DomainXml.SECURE);
        try {
            return DomainToXl.convert(SafeXml.parseRoot(canonical, "domain", ErrorDomain.DOMAIN,
                "domain_definition")).write();
        } catch (NumberFormatException e) {
            throw XenConversionErrors.internal("malformed number in the domain definition: " + e.getMessage());
        }
    }
}
