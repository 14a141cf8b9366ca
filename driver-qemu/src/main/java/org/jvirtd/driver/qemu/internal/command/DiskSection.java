package org.jvirtd.driver.qemu.internal.command;

import java.util.List;

import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Disks: a storage node, a format node ({@code -blockdev}) and the guest device per disk, with boot
 * indexes from os/boot or per-device boot elements.
 */
final class DiskSection {
    private DiskSection() {
    }

    static void disks(BuildContext c, List<String> argv) {
        List<GuestDef.Disk> disks = c.def.devices().disks();
        BootOrder boot = BootOrder.of(c.def);
        for (GuestDef.Disk disk : disks) {
            if ("fdc".equals(disk.bus()) && boot.indexOf(disk) > 0) {
                argv.add("-global");
                argv.add("isa-fdc.bootindex" + (DriveAddresses.of(disk).unit() == 0 ? "A" : "B") + "=" + boot.indexOf(disk));
            }
        }
        UsbPorts usb = UsbPorts.of(c);
        for (int i = 0; i < disks.size(); i++) {
            GuestDef.Disk disk = disks.get(i);
            String node = disk.hasSource() ? "libvirt-" + (disks.size() - i) : null;
            if (node != null) {
                if (isLuks(disk)) {
                    c.object(argv, c.diskSecrets.object(encryptionSecretId(node), disk));
                }
                blockdevs(c, argv, disk, node);
            }
            Props device = deviceProps(c, disk, node == null ? null : node + "-format", boot.indexOf(disk),
                usb.portOf(disk));
            c.device(argv, device);
        }
    }

    /** The two -blockdev nodes of a disk. */
    static void blockdevs(BuildContext c, List<String> argv, GuestDef.Disk disk, String node) {
        argv.add("-blockdev");
        argv.add(storageProps(c, disk, node).json());
        argv.add("-blockdev");
        argv.add(formatProps(disk, node).json());
    }

    static Props storageProps(BuildContext c, GuestDef.Disk disk, String node) {
        Props p;
        if (disk.network() != null) {
            GuestDef.NetworkSource n = disk.network();
            p = Props.of("driver", n.protocol())
                .put("server", Props.of("type", "inet").put("host", n.host()).put("port", n.port()))
                .put("export", n.name());
        } else {
            String driver = "block".equals(disk.type()) ? (isHostCdrom(c, disk) ? "host_cdrom" : "host_device") : "file";
            p = Props.of("driver", driver).put("filename", disk.source())
                .put("aio", "native".equals(disk.io()) || "threads".equals(disk.io()) || "io_uring".equals(disk.io())
                    ? disk.io() : null);
        }
        return p.put("node-name", node + "-storage").put("cache", cacheProps(disk.cache()))
            .put("auto-read-only", true).put("discard", "unmap");
    }

    /** A cdrom backed by the host's optical drive (libvirt asks the kernel; its names are enough here). */
    /**
     * A CD-ROM drive whose source really is the host's optical drive gets QEMU's host_cdrom, as libvirt decides by
     * looking at the device (in libvirt's test suite /dev/cdrom is one).
     */
    private static boolean isHostCdrom(BuildContext c, GuestDef.Disk disk) {
        if (!disk.isCdrom() || disk.source() == null) {
            return false;
        }
        if (c.cfg.pretend()) {
            return disk.source().equals("/dev/cdrom");
        }
        try {
            String name = java.nio.file.Path.of(disk.source()).toRealPath().getFileName().toString();
            return name.matches("sr\\d+|scd\\d+");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    static Props formatProps(GuestDef.Disk disk, String node) {
        Props p = Props.of("node-name", node + "-format").put("read-only", disk.readonly())
            .put("discard", "unmap".equals(disk.discard()) || "ignore".equals(disk.discard()) ? disk.discard() : null)
            .put("cache", cacheProps(disk.cache())).put("driver", formatDriver(disk));
        if (isLuks(disk)) {
            String secret = encryptionSecretId(node);
            if ("luks".equals(formatDriver(disk))) {
                p.put("key-secret", secret);
            } else {
                p.put("encrypt", Props.of("format", "luks").put("key-secret", secret));
            }
        }
        return p.put("file", node + "-storage");
    }

    /** Whether QEMU decrypts the disk: LUKS, in a raw container or inside qcow2. */
    static boolean isLuks(GuestDef.Disk disk) {
        return disk.encryption() != null && "luks".equals(disk.encryption().format());
    }

    /** The format node's driver: a raw disk with LUKS encryption is QEMU's luks driver. */
    static String formatDriver(GuestDef.Disk disk) {
        String format = disk.format() == null ? "raw" : disk.format();
        return "raw".equals(format) && isLuks(disk) ? "luks" : format;
    }

    private static String encryptionSecretId(String node) {
        return node + "-format-encryption-secret0";
    }

    private static Props cacheProps(String cache) {
        if (cache == null || "default".equals(cache)) {
            return null;
        }
        boolean direct = "none".equals(cache) || "directsync".equals(cache);
        return Props.of("direct", direct).put("no-flush", "unsafe".equals(cache));
    }

    private static Boolean writeCache(String cache) {
        if (cache == null || "default".equals(cache)) {
            return null;
        }
        return "writeback".equals(cache) || "none".equals(cache) || "unsafe".equals(cache);
    }

    static Props deviceProps(BuildContext c, GuestDef.Disk disk, String drive, int bootIndex, String usbPort) {
        GuestDef.DriveAddress a = DriveAddresses.of(disk);
        Props p;
        String id;
        switch (disk.bus() == null ? "" : disk.bus()) {
            case "virtio" -> {
                id = "virtio-disk" + DriveAddresses.targetIndex(disk.target());
                GuestDef.VirtioQueues q = disk.virtio();
                p = Props.of("driver", "virtio-blk-pci")
                    .put("iothread", disk.iothread() == null ? null : "iothread" + disk.iothread())
                    .put("ioeventfd", onOff(q.ioeventfd())).put("event_idx", onOff(q.eventIdx()))
                    .put("num-queues", q.queues()).put("queue-size", q.queueSize())
                    .putAll(c.pciProps(disk));
            }
            case "scsi" -> {
                GuestDef.Controller ctl = c.controller("scsi", a.controller());
                boolean lsi = ctl == null || ctl.model() == null || "lsilogic".equals(ctl.model());
                p = Props.of("driver", disk.isCdrom() ? "scsi-cd" : "scsi-hd").put("bus", "scsi" + a.controller() + ".0");
                if (lsi) {
                    id = "scsi" + a.controller() + "-" + a.bus() + "-" + a.unit();
                    p.put("scsi-id", a.unit());
                } else {
                    id = "scsi" + a.controller() + "-" + a.bus() + "-" + a.target() + "-" + a.unit();
                    p.put("channel", a.bus()).put("scsi-id", a.target()).put("lun", a.unit());
                }
                p.put("device_id", disk.serial() != null ? disk.serial() : "drive-" + id);
            }
            case "sata" -> {
                id = "sata" + a.controller() + "-0-" + a.unit();
                p = Props.of("driver", disk.isCdrom() ? "ide-cd" : "ide-hd").put("bus", (a.controller() == 0 && c.q35
                    ? "ide." : "sata" + a.controller() + ".") + a.unit());
            }
            case "usb" -> {
                id = "usb-disk" + DriveAddresses.targetIndex(disk.target());
                p = Props.of("driver", "usb-storage").put("bus", "usb.0").put("port", usbPort);
            }
            case "fdc" -> {
                id = "fdc0-0-" + a.unit();
                p = Props.of("driver", "floppy").put("unit", a.unit());
            }
            default -> {
                id = "ide" + a.controller() + "-" + a.bus() + "-" + a.unit();
                p = Props.of("driver", disk.isCdrom() ? "ide-cd" : "ide-hd").put("bus", "ide." + (a.controller() * 2 + a.bus()))
                    .put("unit", a.unit());
            }
        }
        // libvirt's property order: share-rw, drive, id, bootindex, wwn, removable, write-cache, serial.
        if (disk.shareable()) {
            p.put("share-rw", true);
        }
        p.put("drive", drive).put("id", id);
        if (bootIndex > 0 && !"fdc".equals(disk.bus())) {
            p.put("bootindex", bootIndex);
        }
        if ("scsi".equals(disk.bus()) && disk.wwn() != null) {
            p.put("wwn", new java.math.BigInteger(disk.wwn(), 16));
        }
        if ("usb".equals(disk.bus())) {
            p.put("removable", "on".equals(disk.removable()));
        }
        p.put("write-cache", writeCache(disk.cache()) == null ? null : writeCache(disk.cache()) ? "on" : "off");
        return p.put("serial", disk.serial());
    }

    /** A libvirt on/off switch as a QEMU boolean; absent when the definition does not set it. */
    private static Boolean onOff(String state) {
        return state == null ? null : "on".equals(state);
    }
}
