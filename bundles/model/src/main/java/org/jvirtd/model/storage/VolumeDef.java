package org.jvirtd.model.storage;

/**
 * A parsed storage volume definition ({@code <volume>}), read in the context of its pool.
 *
 * @param type file, block, dir, network, netdir or ploop
 * @param capacity bytes
 * @param allocation bytes; the capacity when the document gives none
 */
public record VolumeDef(String type, String name, String key, long capacity, long allocation, Target target,
                        BackingStore backingStore) {

    /**
     * {@code <target>}: where the volume lives and how its image is laid out.
     *
     * @param features whether the target has a {@code <features>} element (libvirt prints it, empty or not,
     *                 when a definition gave one or a qcow2 v3 header was read)
     */
    public record Target(String path, String format, Permissions permissions, Encryption encryption, String compat,
                         Long clusterSize, boolean nocow, boolean lazyRefcounts, boolean extendedL2,
                         boolean features) {
    }

    /** {@code <backingStore>}: the image a copy-on-write volume is layered over. */
    public record BackingStore(String path, String format, Permissions permissions) {
    }
}
