package org.jvirtd.driver.qemu.internal.command;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Shared host folders, as libvirt passes them after the disks: over 9p a {@code -fsdev local} backend with the
 * access mode as QEMU's security model and the virtio-9p-pci device with the mount tag; over virtiofs the socket of
 * the share's virtiofsd and vhost-user-fs-pci.
 */
final class FilesystemSection {
    private FilesystemSection() {
    }

    static void filesystems(BuildContext c, List<String> argv) {
        List<GuestDef.Filesystem> filesystems = c.def.devices().filesystems();
        for (int i = 0; i < filesystems.size(); i++) {
            GuestDef.Filesystem fs = filesystems.get(i);
            if ("mount".equals(fs.type()) && fs.virtiofs() != null) {
                virtiofs(c, argv, fs, "fs" + i);
                continue;
            }
            if (!"mount".equals(fs.type()) || !(fs.driver() == null || "path".equals(fs.driver()))) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "jvirtd shares host folders over 9p only, not filesystem type '" + fs.type() + "' driver '"
                        + fs.driver() + "'");
            }
            String alias = "fs" + i;
            StringBuilder fsdev = new StringBuilder("local,security_model=").append(securityModel(fs.accessmode()));
            if (fs.multidevs() != null && !"default".equals(fs.multidevs())) {
                fsdev.append(",multidevs=").append(fs.multidevs());
            }
            fsdev.append(",id=fsdev-").append(alias).append(",path=").append(Props.escapeCommas(fs.source()));
            if (fs.readonly()) {
                fsdev.append(",readonly=on");
            }
            argv.add("-fsdev");
            argv.add(fsdev.toString());
            c.device(argv, Props.of("driver", "virtio-9p-pci").put("id", alias).put("fsdev", "fsdev-" + alias)
                .put("mount_tag", fs.target()).putAll(c.pciProps(fs)));
        }
    }

    /**
     * A virtiofs share: the socket chardev to its virtiofsd (the one the definition names, else {@code
     * <alias>-fs.sock} in the domain's private directory, where the driver starts it) and vhost-user-fs-pci.
     */
    private static void virtiofs(BuildContext c, List<String> argv, GuestDef.Filesystem fs, String alias) {
        argv.add("-chardev");
        String socket = fs.virtiofs().socket() != null ? fs.virtiofs().socket()
            : c.cfg.virtiofsSocket(c.def.id(), c.def.name(), alias).toString();
        argv.add("socket,id=chr-vu-" + alias + ",path=" + Props.escapeCommas(socket));
        c.device(argv, Props.of("driver", "vhost-user-fs-pci").put("id", alias).put("chardev", "chr-vu-" + alias)
            .put("queue-size", fs.virtiofs().queue()).put("tag", fs.target()).putAll(c.pciProps(fs)));
    }

    private static String securityModel(String accessmode) {
        return switch (accessmode) {
            case "mapped" -> "mapped";
            case "squash" -> "none";
            default -> "passthrough";
        };
    }
}
