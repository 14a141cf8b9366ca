package org.jvirtd.api.network;

/**
 * A lifecycle event of one network (virConnectNetworkEventLifecycleCallback's arguments; detail is always 0).
 */
public record NetworkEvent(NetworkRef network, NetworkEventType type) {
    /** The line {@code virsh net-event --all} prints for this event, without the timestamp. */
    public String describe() {
        return "event 'lifecycle' for network " + network.name() + ": " + type.label();
    }
}
