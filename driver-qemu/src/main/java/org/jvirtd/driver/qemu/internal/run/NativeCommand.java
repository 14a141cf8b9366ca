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
     * looked up): only MAC, model, script, boot order and the address the definition gave it stay.
     */
    static GuestDef withEthernetInterfaces(GuestDef def) {
        List<GuestDef.Interface> nets = def.devices().interfaces().stream()
            .map(n -> new GuestDef.Interface("ethernet", n.mac(), n.model(), null, null, null, n.script(),
                n.bootOrder(), n.pci(), null))
            .toList();
        GuestDef.Devices d = def.devices();
        return def.withDevices(new GuestDef.Devices(d.emulator(), d.disks(), d.controllers(), nets, d.serials(),
            d.consoles(), d.channels(), d.inputs(), d.graphics(), d.videos(), d.watchdogs(), d.rngs(),
            d.memballoon(), d.sounds(), d.redirdevs(), d.panics(),
            d.tpms(), d.parallels(), d.filesystems(), d.iommus(), d.smartcards(),
            d.vsocks(), d.hostdevs()));
    }
}
