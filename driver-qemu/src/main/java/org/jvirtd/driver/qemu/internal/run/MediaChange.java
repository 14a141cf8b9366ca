package org.jvirtd.driver.qemu.internal.run;

import java.time.Duration;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.driver.qemu.internal.command.DeviceAliases;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.driver.qemu.internal.guest.DeviceXml;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.driver.qemu.internal.guest.GuestXml;
import org.jvirtd.model.domain.DeviceEdits;
import org.jvirtd.model.domain.DomainXml;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Element;

/**
 * virDomainUpdateDeviceFlags on a running guest: a cdrom's or floppy's medium inserted (QMP
 * blockdev-change-medium on the drive's device) or ejected (eject, forced with VIR_DOMAIN_DEVICE_MODIFY_FORCE
 * as libvirt forces it), and the live XML's {@code <source>} following.
 */
public final class MediaChange {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private MediaChange() {
    }

    public static void apply(QemuRun run, DomainHandle h, String deviceXml) {
        Element device = SafeXml.parse(deviceXml, ErrorDomain.DOMAIN, "device").getDocumentElement();
        String target = DeviceEdits.target(deviceXml);
        if (target == null) {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU,
                "live update of device '" + device.getTagName() + "' is not supported");
        }
        GuestDef live = GuestXml.parse(h.xml(), h.id());
        GuestDef.Disk disk = live.devices().disks().stream().filter(d -> target.equals(d.target())).findFirst()
            .orElseThrow(() -> new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                "target " + target + " doesn't exist."));
        if (!disk.isCdrom() && !"floppy".equals(disk.device())) {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU,
                "disk of device type '" + disk.device() + "' cannot have its medium changed");
        }
        String id = DeviceAliases.disk(disk);
        GuestDef.Disk next = DeviceXml.disk(device);
        if (next.source() != null) {
            run.qmp().execute("blockdev-change-medium", Props.of("id", id).put("filename", next.source())
                .put("format", next.format() == null ? "raw" : next.format()), TIMEOUT);
        } else {
            run.qmp().execute("eject", Props.of("id", id).put("force", true), TIMEOUT);
        }
        h.setLiveXml(DomainXml.format(DomainXml.parse(DeviceEdits.update(h.xml(), deviceXml)), h.id(),
            DomainXml.SECURE | DomainXml.STATUS));
    }
}
