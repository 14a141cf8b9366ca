package org.jvirtd.driver.xen.internal.xl;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * The errors the xl.cfg conversion reports, in libvirt's xen-xl error domain (VIR_FROM_XENXL).
 */
final class XenConversionErrors {
    private XenConversionErrors() {
    }

    static VirtException unsupported(String detail) {
        return new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.XENXL, detail);
    }

    static VirtException internal(String detail) {
        return new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.XENXL, detail);
    }

    static VirtException syntax(String detail) {
        return new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.XENXL, detail);
    }
}
