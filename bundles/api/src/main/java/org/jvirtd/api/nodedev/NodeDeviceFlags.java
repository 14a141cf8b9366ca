package org.jvirtd.api.nodedev;

/** libvirt's virConnectListAllNodeDevices flags beyond the capability bits of {@link NodeDeviceCapability}. */
public final class NodeDeviceFlags {
    /** VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE: defined but not present (mediated devices only). */
    public static final int LIST_INACTIVE = 1 << 30;
    /** VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE. */
    public static final int LIST_ACTIVE = 1 << 31;
    /** Every capability bit libvirt 9.0 knows. */
    public static final int LIST_CAPS_ALL = (1 << NodeDeviceCapability.values().length) - 1;
    public static final int LIST_ALL = LIST_CAPS_ALL | LIST_INACTIVE | LIST_ACTIVE;

    private NodeDeviceFlags() {
    }
}
