package org.jvirtd.core.internal;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.driver.HypervisorDriver;
import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.model.domain.DomainXml;

/**
 * The definitions inside save images, a domain's managed one or any file: read (save-image-dumpxml,
 * managedsave-dumpxml) and replaced by one for the same domain (save-image-define, managedsave-define).
 */
final class SaveImages {
    private final DriverDomains domains;

    SaveImages(DriverDomains domains) {
        this.domains = domains;
    }

    String managedSaveXml(DomainRef ref, int flags) {
        return domains.locked(ref, (d, hv) -> format(hv.saveImageXml(managedImage(d)), flags));
    }

    void managedSaveDefine(DomainRef ref, String xml, int flags) {
        domains.lockedDo(ref, (d, hv) -> define(hv, managedImage(d), xml, flags));
    }

    String saveImageXml(String file, int flags) {
        HypervisorDriver hv = domains.driver();
        return format(hv.saveImageXml(readable(file)), flags);
    }

    void saveImageDefine(String file, String xml, int flags) {
        HypervisorDriver hv = domains.driver();
        define(hv, readable(file), xml, flags);
    }

    private Path managedImage(DomainObject d) {
        Path image = domains.store().managedSaveImage(d.name());
        if (!Files.exists(image)) {
            throw VirtErrors.operationInvalid(domains.from(), "domain does not have managed save image");
        }
        return image;
    }

    private Path readable(String file) {
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            throw VirtErrors.system(domains.from(), "cannot open saved image '" + file + "': No such file or directory",
                null);
        }
        return path;
    }

    /** The image's domain must stay the same domain: its name and UUID are checked as libvirt's ABI check does. */
    private void define(HypervisorDriver hv, Path image, String xml, int flags) {
        if ((flags & DomainFlags.SAVE_RUNNING) != 0 && (flags & DomainFlags.SAVE_PAUSED) != 0) {
            throw VirtErrors.invalidArg(domains.from(), "Flags 'VIR_DOMAIN_SAVE_RUNNING' and 'VIR_DOMAIN_SAVE_PAUSED'"
                + " are mutually exclusive");
        }
        DomainDef saved = DomainXml.parse(hv.saveImageXml(image));
        String replacement = xml == null ? hv.saveImageXml(image) : xml;
        DomainDef next = DomainXml.parse(replacement);
        if (!next.uuid().equals(saved.uuid())) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, domains.from(), "Target domain uuid " + next.uuid()
                + " does not match source " + saved.uuid());
        }
        if (!next.name().equals(saved.name())) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, domains.from(), "Target domain name '"
                + next.name() + "' does not match source '" + saved.name() + "'");
        }
        Boolean running = (flags & DomainFlags.SAVE_RUNNING) != 0 ? Boolean.TRUE
            : (flags & DomainFlags.SAVE_PAUSED) != 0 ? Boolean.FALSE : null;
        hv.saveImageDefine(image, DomainXml.format(next, -1, DomainXml.SECURE), running);
    }

    private static String format(String xml, int flags) {
        return DomainXml.format(DomainXml.parse(xml), -1, flags & DomainXml.SECURE);
    }
}
