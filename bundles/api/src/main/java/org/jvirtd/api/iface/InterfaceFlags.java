package org.jvirtd.api.iface;

/** libvirt's virInterface flag values. */
public final class InterfaceFlags {
    /** VIR_CONNECT_LIST_INTERFACES_INACTIVE. */
    public static final int LIST_INACTIVE = 1 << 0;
    /** VIR_CONNECT_LIST_INTERFACES_ACTIVE. */
    public static final int LIST_ACTIVE = 1 << 1;
    /** VIR_INTERFACE_XML_INACTIVE. */
    public static final int XML_INACTIVE = 1 << 0;

    private InterfaceFlags() {
    }
}
