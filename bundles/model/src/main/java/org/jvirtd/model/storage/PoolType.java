package org.jvirtd.model.storage;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * libvirt's storage pool types, each with the source elements it reads and the formats it knows.
 */
public enum PoolType {
    DIR("dir", Set.of(), List.of(), "file", true),
    FS("fs", Set.of(Source.DEVICE), List.of("auto", "ext2", "ext3", "ext4", "ufs", "iso9660", "udf", "gfs",
        "gfs2", "vfat", "hfs+", "xfs", "ocfs2", "vmfs"), "file", true),
    NETFS("netfs", Set.of(Source.HOST, Source.DIR), List.of("auto", "nfs", "glusterfs", "cifs"), "file", true),
    LOGICAL("logical", Set.of(Source.NAME, Source.DEVICE), List.of("unknown", "lvm2"), "block", true),
    DISK("disk", Set.of(Source.DEVICE), List.of("unknown", "dos", "dvh", "gpt", "mac", "bsd", "pc98", "sun",
        "lvm2"), "block", true),
    ISCSI("iscsi", Set.of(Source.HOST, Source.DEVICE, Source.INITIATOR), List.of(), "block", true),
    ISCSI_DIRECT("iscsi-direct", Set.of(Source.HOST, Source.DEVICE, Source.INITIATOR), List.of(), "network", false),
    SCSI("scsi", Set.of(Source.ADAPTER), List.of(), "block", true),
    MPATH("mpath", Set.of(), List.of(), "block", true),
    RBD("rbd", Set.of(Source.HOST, Source.NAME), List.of(), "network", false),
    GLUSTER("gluster", Set.of(Source.HOST, Source.NAME, Source.DIR), List.of(), "network", false),
    ZFS("zfs", Set.of(Source.NAME, Source.DEVICE), List.of(), "block", true),
    VSTORAGE("vstorage", Set.of(Source.NAME), List.of(), "file", true);

    /** The {@code <source>} children a pool type reads. */
    public enum Source { HOST, DEVICE, DIR, ADAPTER, NAME, INITIATOR }

    private final String xmlName;
    private final Set<Source> sources;
    private final List<String> formats;
    private final String volumeType;
    private final boolean hasTarget;

    PoolType(String xmlName, Set<Source> sources, List<String> formats, String volumeType, boolean hasTarget) {
        this.xmlName = xmlName;
        this.sources = sources;
        this.formats = formats;
        this.volumeType = volumeType;
        this.hasTarget = hasTarget;
    }

    public String xmlName() {
        return xmlName;
    }

    public static PoolType fromXml(String name) {
        return Arrays.stream(values()).filter(t -> t.xmlName.equals(name)).findFirst().orElse(null);
    }

    public boolean reads(Source source) {
        return sources.contains(source);
    }

    /** The source formats this type knows, the default first; empty when it has no {@code <format>}. */
    public List<String> formats() {
        return formats;
    }

    /** The type of the volumes in such a pool (file, block, network). */
    public String volumeType() {
        return volumeType;
    }

    /** False for network pools (rbd, gluster, iscsi-direct), which have no local {@code <target>}. */
    public boolean hasTarget() {
        return hasTarget;
    }
}
