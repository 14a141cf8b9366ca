package org.jvirtd.api.domain;

/**
 * libvirt's state reasons (virDomainRunningReason, virDomainPausedReason, virDomainShutoffReason, ...)
 * and the words virsh prints for them with {@code domstate --reason}.
 */
public final class StateReason {
    public static final int UNKNOWN = 0;

    public static final int RUNNING_BOOTED = 1;
    public static final int RUNNING_MIGRATED = 2;
    public static final int RUNNING_RESTORED = 3;
    public static final int RUNNING_FROM_SNAPSHOT = 4;
    public static final int RUNNING_UNPAUSED = 5;
    public static final int RUNNING_MIGRATION_CANCELED = 6;
    public static final int RUNNING_SAVE_CANCELED = 7;
    public static final int RUNNING_WAKEUP = 8;
    public static final int RUNNING_CRASHED = 9;

    public static final int PAUSED_USER = 1;
    public static final int PAUSED_MIGRATION = 2;
    public static final int PAUSED_SAVE = 3;
    public static final int PAUSED_DUMP = 4;
    public static final int PAUSED_IOERROR = 5;
    public static final int PAUSED_WATCHDOG = 6;
    public static final int PAUSED_FROM_SNAPSHOT = 7;
    public static final int PAUSED_SHUTTING_DOWN = 8;
    public static final int PAUSED_SNAPSHOT = 9;
    public static final int PAUSED_CRASHED = 10;
    public static final int PAUSED_STARTING_UP = 11;

    public static final int SHUTDOWN_USER = 1;

    public static final int SHUTOFF_SHUTDOWN = 1;
    public static final int SHUTOFF_DESTROYED = 2;
    public static final int SHUTOFF_CRASHED = 3;
    public static final int SHUTOFF_MIGRATED = 4;
    public static final int SHUTOFF_SAVED = 5;
    public static final int SHUTOFF_FAILED = 6;
    public static final int SHUTOFF_FROM_SNAPSHOT = 7;
    public static final int SHUTOFF_DAEMON = 8;

    private static final String[] RUNNING = {"unknown", "booted", "migrated", "restored", "from snapshot",
        "unpaused", "migration canceled", "save canceled", "event wakeup", "crashed", "post-copy"};
    private static final String[] PAUSED = {"unknown", "user", "migrating", "saving", "dumping", "I/O error",
        "watchdog", "from snapshot", "shutting down", "creating snapshot", "crashed", "starting up", "post-copy",
        "post-copy failed"};
    private static final String[] SHUTDOWN = {"unknown", "user"};
    private static final String[] SHUTOFF = {"unknown", "shutdown", "destroyed", "crashed", "migrated", "saved",
        "failed", "from snapshot", "daemon"};
    private static final String[] CRASHED = {"unknown", "panicked"};

    private StateReason() {
    }

    /** The word virsh prints for a reason of a state. */
    public static String label(DomainState state, int reason) {
        String[] words = switch (state) {
            case RUNNING -> RUNNING;
            case PAUSED -> PAUSED;
            case SHUTDOWN -> SHUTDOWN;
            case SHUTOFF -> SHUTOFF;
            case CRASHED -> CRASHED;
            default -> new String[] {"unknown"};
        };
        return reason >= 0 && reason < words.length ? words[reason] : "unknown";
    }
}
