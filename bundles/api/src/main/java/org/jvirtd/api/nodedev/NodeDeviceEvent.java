package org.jvirtd.api.nodedev;

/**
 * An event of one host device, named as libvirt names it: a lifecycle event
 * (virConnectNodeDeviceEventLifecycleCallback, detail always 0) or a change of the device
 * (virConnectNodeDeviceEventGenericCallback of VIR_NODE_DEVICE_EVENT_ID_UPDATE).
 */
public record NodeDeviceEvent(String device, Type type) {
    /** virNodeDeviceEventID values. */
    public static final int EVENT_ID_LIFECYCLE = 0;
    public static final int EVENT_ID_UPDATE = 1;
    /** VIR_NODE_DEVICE_EVENT_ID_LAST in libvirt 9.0. */
    public static final int EVENT_ID_LAST = 2;

    /** virNodeDeviceEventLifecycleType numbers for the lifecycle kinds; UPDATED is its own event id. */
    public enum Type {
        CREATED(0), DELETED(1), DEFINED(2), UNDEFINED(3), UPDATED(-1);

        private final int number;

        Type(int number) {
            this.number = number;
        }

        public int number() {
            return number;
        }
    }

    /** virNodeDeviceEventID: 0 for lifecycle events, 1 (UPDATE) for changes. */
    public int eventId() {
        return type == Type.UPDATED ? EVENT_ID_UPDATE : EVENT_ID_LIFECYCLE;
    }
}
