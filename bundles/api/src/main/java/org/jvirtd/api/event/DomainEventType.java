package org.jvirtd.api.event;

/**
 * virDomainEventType with libvirt's numbers and the words {@code virsh event} prints, plus each
 * type's detail words in detail-number order.
 */
public enum DomainEventType {
    DEFINED(0, "Defined", "Added", "Updated", "Renamed", "Snapshot"),
    UNDEFINED(1, "Undefined", "Removed", "Renamed"),
    STARTED(2, "Started", "Booted", "Migrated", "Restored", "Snapshot", "Event wakeup"),
    SUSPENDED(3, "Suspended", "Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot",
        "API error", "Post-copy", "Post-copy Error"),
    RESUMED(4, "Resumed", "Unpaused", "Migrated", "Snapshot", "Post-copy", "Post-copy Error"),
    STOPPED(5, "Stopped", "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed", "Snapshot"),
    SHUTDOWN(6, "Shutdown", "Finished", "Finished after guest request", "Finished after host request"),
    PMSUSPENDED(7, "PMSuspended", "Memory", "Disk"),
    CRASHED(8, "Crashed", "Panicked", "Crashloaded");

    private final int number;
    private final String label;
    private final String[] details;

    DomainEventType(int number, String label, String... details) {
        this.number = number;
        this.label = label;
        this.details = details;
    }

    public int number() {
        return number;
    }

    public String label() {
        return label;
    }

    public String detailLabel(int detail) {
        return detail >= 0 && detail < details.length ? details[detail] : "Unknown";
    }

    public static DomainEventType fromNumber(int number) {
        for (DomainEventType type : values()) {
            if (type.number == number) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown domain event type " + number);
    }
}
