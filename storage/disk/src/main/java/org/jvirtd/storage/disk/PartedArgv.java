package org.jvirtd.storage.disk;

import java.util.List;

import org.jvirtd.model.storage.PoolDef;

/**
 * The parted command lines of a disk pool, pure functions of the pool: write a partition table, print it,
 * add a partition, remove one.
 */
final class PartedArgv {
    private PartedArgv() {
    }

    static String device(PoolDef pool) {
        return pool.source().devices().get(0).path();
    }

    /** {@code parted DEVICE mklabel --script LABEL}; libvirt's "dos" is parted's "msdos". */
    static List<String> mklabel(PoolDef pool) {
        String format = pool.source().format();
        String label = format == null || format.equals("unknown") || format.equals("dos") ? "msdos" : format;
        return List.of("parted", device(pool), "mklabel", "--script", label);
    }

    /** {@code parted -s -m DEVICE unit B print}: machine-readable, in bytes. */
    static List<String> print(PoolDef pool) {
        return List.of("parted", "-s", "-m", device(pool), "unit", "B", "print");
    }

    /** {@code parted DEVICE mkpart --script primary STARTB ENDB} (the end byte is inclusive). */
    static List<String> mkpart(PoolDef pool, long start, long size) {
        return List.of("parted", device(pool), "mkpart", "--script", "primary", start + "B", (start + size - 1) + "B");
    }

    static List<String> rm(PoolDef pool, int number) {
        return List.of("parted", device(pool), "rm", "--script", Integer.toString(number));
    }
}
