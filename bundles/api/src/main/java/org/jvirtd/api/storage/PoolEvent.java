package org.jvirtd.api.storage;

/**
 * A storage pool event: a lifecycle change (VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE) or a refresh
 * (VIR_STORAGE_POOL_EVENT_ID_REFRESH).
 */
public record PoolEvent(PoolRef pool, Type type) {
    /** virStoragePoolEventLifecycleType with its number, plus the refresh event. */
    public enum Type {
        DEFINED(0, "Defined"), UNDEFINED(1, "Undefined"), STARTED(2, "Started"), STOPPED(3, "Stopped"),
        CREATED(4, "Created"), DELETED(5, "Deleted"), REFRESHED(-1, "Refreshed");

        private final int number;
        private final String label;

        Type(int number, String label) {
            this.number = number;
            this.label = label;
        }

        /** The lifecycle event number on the wire; -1 for the refresh event, which has its own event id. */
        public int number() {
            return number;
        }

        public String label() {
            return label;
        }
    }

    /** The line {@code virsh pool-event} prints for this event. */
    public String describe() {
        return type == Type.REFRESHED ? "event 'refresh' for storage pool " + pool.name()
            : "event 'lifecycle' for storage pool " + pool.name() + ": " + type.label();
    }
}
