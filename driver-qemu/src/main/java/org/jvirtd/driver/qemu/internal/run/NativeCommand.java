package org.jvirtd.driver.qemu.internal.run;

import java.nio.file.Path;
import java.util.List;

import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.driver.qemu.internal.command.DiskSecrets;
import org.jvirtd.driver.qemu.internal.command.QemuCommand;
import org.jvirtd.driver.qemu.internal.command.QemuCommandLine;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.driver.qemu.internal.guest.GuestXml;

/**
 * virConnectDomainXMLToNative for "qemu-argv": the command a start of a (post-parsed) definition would run,
 * built by the launcher's own builder with nothing opened, reserved or written (NVRAM included), as libvirt
 * pretends a start for it.
 */
public final class NativeCommand {
    private NativeCommand() {
    }

    /** {@code cfg} in {@link QemuConf.ArgvMode#NATIVE}; NVRAM files the definition does not name are in {@code nvramDir}. */
    public static QemuCommand of(String definedXml, QemuCaps caps, QemuConf cfg, Path nvramDir) {
        return of(definedXml, caps, cfg, nvramDir, DiskSecrets.NONE);
    }

    /** As a start would: encrypted disks' passphrases under a master key of this call's own, as libvirt's. */
    public static QemuCommand of(String definedXml, QemuCaps caps, QemuConf cfg, Path nvramDir,
                                 DiskSecrets diskSecrets) {
        GuestDef stored = GuestXml.parse(definedXml, -1);
        String xml = QemuLauncher.withFirmware(definedXml, stored, caps, nvramDir);
        return QemuCommandLine.build(withEthernetInterfaces(GuestXml.parse(xml, -1)), caps, cfg, diskSecrets);
    }

    /**
     * libvirt converts every interface to a plain type='ethernet' one for this call (no host network is
     * looked up): only MAC, model, script and the PCI slot stay; its boot index and ACPI index do not reach
     * the command line.
     */
    static GuestDef withEthernetInterfaces(GuestDef def) {
        List<GuestDef.Interface> nets = def.devices().interfaces().stream()
            .map(n -> new GuestDef.Interface("ethernet", n.mac(), n.model(), null, null, null, n.script(),
                0, n.pci() == null ? null : new GuestDef.PciAddress(n.pci().domain(), n.pci().bus(), n.pci().slot(),
                    n.pci().function(), n.pci().multifunction()), null))
            .toList();
        return def.withDevices(def.devices().withInterfaces(nets));
    }
}
