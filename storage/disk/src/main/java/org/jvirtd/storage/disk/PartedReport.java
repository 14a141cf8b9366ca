package org.jvirtd.storage.disk;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.storage.PoolContents;
import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.api.storage.VolumeInfo;
import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.VolumeDef;
import org.jvirtd.model.storage.VolumeXml;
import org.jvirtd.storage.util.StorageErrors;

/**
 * Reads {@code parted -m ... unit B print} into a disk pool's sizes and its partitions as volumes.
 */
final class PartedReport {
    /** parted aligns partitions to 1 MiB; libvirt's disk pools leave the first MiB to the label too. */
    static final long ALIGN = 1 << 20;

    private PartedReport() {
    }

    /** One partition: its number and byte range. */
    record Partition(int number, long start, long end) {
        long size() {
            return end - start + 1;
        }
    }

    static long deviceSize(String output) {
        String[] lines = output.strip().split("\n");
        if (lines.length < 2) {
            throw StorageErrors.internal("cannot parse parted output '" + output.strip() + "'");
        }
        return bytes(lines[1].split(":")[1]);
    }

    static List<Partition> partitions(String output) {
        List<Partition> found = new ArrayList<>();
        String[] lines = output.strip().split("\n");
        for (int i = 2; i < lines.length; i++) {
            String[] f = lines[i].split(":");
            if (f.length >= 4 && f[0].matches("\\d+")) {
                found.add(new Partition(Integer.parseInt(f[0]), bytes(f[1]), bytes(f[2])));
            }
        }
        return found;
    }

    /** Where a new partition can start: after the last one, aligned. */
    static long nextStart(List<Partition> partitions) {
        long end = partitions.stream().mapToLong(Partition::end).max().orElse(ALIGN - 1) + 1;
        return (end + ALIGN - 1) / ALIGN * ALIGN;
    }

    static PoolContents contents(PoolDef pool, String output) {
        long capacity = deviceSize(output);
        List<VolumeInfo> volumes = new ArrayList<>();
        long used = 0;
        for (Partition p : partitions(output)) {
            volumes.add(volume(pool, p));
            used += p.size();
        }
        return new PoolContents(capacity, used, Math.max(0, capacity - nextStart(partitions(output))), volumes);
    }

    /** A partition volume is named like its device node: sda1, or loop0p1 when the disk name ends in a digit. */
    static String partitionName(PoolDef pool, int number) {
        String device = PartedArgv.device(pool);
        String base = device.substring(device.lastIndexOf('/') + 1);
        return base + (Character.isDigit(base.charAt(base.length() - 1)) ? "p" : "") + number;
    }

    private static VolumeInfo volume(PoolDef pool, Partition p) {
        String name = partitionName(pool, p.number());
        String path = "/dev/" + name;
        VolumeDef def = new VolumeDef("block", name, path, p.size(), p.size(),
            new VolumeDef.Target(path, "none", null, null, null, null, false, false, false, false), null);
        return new VolumeInfo(name, path, path, StorageFlags.VOL_BLOCK, p.size(), p.size(), VolumeXml.format(def, 0));
    }

    private static long bytes(String text) {
        return Long.parseLong(text.endsWith("B") ? text.substring(0, text.length() - 1) : text);
    }
}
