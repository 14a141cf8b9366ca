package org.jvirtd.api.network;

/**
 * virNetworkEventLifecycleType with libvirt's numbers and the words {@code virsh net-event} prints.
 */
public enum NetworkEventType {
    DEFINED(0, "Defined"), UNDEFINED(1, "Undefined"), STARTED(2, "Started"), STOPPED(3, "Stopped");

    private final int number;
    private final String label;

    NetworkEventType(int number, String label) {
        this.number = number;
        this.label = label;
    }

    public int number() {
        return number;
    }

    public String label() {
        return label;
    }
}
