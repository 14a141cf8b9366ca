package org.jvirtd.api.domain;

/**
 * virDomainState with libvirt's numbers and the words virsh prints for them.
 */
public enum DomainState {
    NOSTATE(0, "no state"),
    RUNNING(1, "running"),
    BLOCKED(2, "idle"),
    PAUSED(3, "paused"),
    SHUTDOWN(4, "in shutdown"),
    SHUTOFF(5, "shut off"),
    CRASHED(6, "crashed"),
    PMSUSPENDED(7, "pmsuspended");

    private final int number;
    private final String label;

    DomainState(int number, String label) {
        this.number = number;
        this.label = label;
    }

    public int number() {
        return number;
    }

    /** The text virsh shows for this state. */
    public String label() {
        return label;
    }

    /** Active means a hypervisor process (or its in-memory stand-in) exists. */
    public boolean isActive() {
        return this != SHUTOFF && this != NOSTATE && this != CRASHED;
    }

    public static DomainState fromNumber(int number) {
        for (DomainState state : values()) {
            if (state.number == number) {
                return state;
            }
        }
        return NOSTATE;
    }
}
