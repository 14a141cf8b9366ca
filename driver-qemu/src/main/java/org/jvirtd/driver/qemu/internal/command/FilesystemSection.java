package org.jvirtd.driver.qemu.internal.command;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Shared host folders over 9p: a {@code -fsdev local} backend with the access mode as QEMU's security
 * model, and the virtio-9p-pci device with the mount tag, as libvirt passes them after the disks.
 */
final class FilesystemSection {
    private FilesystemSection() {
    }

    static void filesystems(BuildContext c, List<String> argv) {
        List<GuestDef.Filesystem> filesystems = c.def.devices().filesystems();
        for (int i = 0; i < filesystems.size(); i++) {
            GuestDef.Filesystem fs = filesystems.get(i);
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

    private static String securityModel(String accessmode) {
        return switch (accessmode) {
            case "mapped" -> "mapped";
            case "squash" -> "none";
            default -> "passthrough";
        };
    }
}
