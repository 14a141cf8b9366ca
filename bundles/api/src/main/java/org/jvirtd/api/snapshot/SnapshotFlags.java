package org.jvirtd.api.snapshot;

/** libvirt's domain snapshot flag values (virDomainSnapshot*Flags), one nested class per API. */
public final class SnapshotFlags {
    private SnapshotFlags() {
    }

    /** virDomainSnapshotCreateFlags. */
    public static final class Create {
        public static final int REDEFINE = 1;
        public static final int CURRENT = 2;
        public static final int NO_METADATA = 4;
        public static final int HALT = 8;
        public static final int DISK_ONLY = 16;
        public static final int REUSE_EXT = 32;
        public static final int QUIESCE = 64;
        public static final int ATOMIC = 128;
        public static final int LIVE = 256;
        public static final int VALIDATE = 512;
        public static final int ALL = 1023;

        private Create() {
        }
    }

    /** virDomainSnapshotListFlags (ROOTS for whole-domain lists is DESCENDANTS for child lists). */
    public static final class List {
        public static final int ROOTS = 1;
        public static final int DESCENDANTS = 1;
        public static final int METADATA = 2;
        public static final int LEAVES = 4;
        public static final int NO_LEAVES = 8;
        public static final int NO_METADATA = 16;
        public static final int INACTIVE = 32;
        public static final int ACTIVE = 64;
        public static final int DISK_ONLY = 128;
        public static final int INTERNAL = 256;
        public static final int EXTERNAL = 512;
        public static final int TOPOLOGICAL = 1024;
        public static final int ALL = 2047;

        private List() {
        }
    }

    /** virDomainSnapshotRevertFlags. */
    public static final class Revert {
        public static final int RUNNING = 1;
        public static final int PAUSED = 2;
        public static final int FORCE = 4;
        public static final int RESET_NVRAM = 8;
        public static final int ALL = 15;

        private Revert() {
        }
    }

    /** virDomainSnapshotDeleteFlags. */
    public static final class Delete {
        public static final int CHILDREN = 1;
        public static final int METADATA_ONLY = 2;
        public static final int CHILDREN_ONLY = 4;
        public static final int ALL = 7;

        private Delete() {
        }
    }

    /** virDomainSnapshotXMLFlags. */
    public static final int XML_SECURE = 1;
}
