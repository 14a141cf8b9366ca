package org.jvirtd.api.network;

/**
 * libvirt's network flag and enum values: listing filters, XML flags, net-update commands and sections.
 */
public final class NetworkFlags {
    /** virConnectListAllNetworksFlags. */
    public static final int LIST_INACTIVE = 1;
    public static final int LIST_ACTIVE = 2;
    public static final int LIST_PERSISTENT = 4;
    public static final int LIST_TRANSIENT = 8;
    public static final int LIST_AUTOSTART = 16;
    public static final int LIST_NO_AUTOSTART = 32;

    /** virNetworkXMLFlags. */
    public static final int XML_INACTIVE = 1;

    /** virNetworkUpdateCommand. */
    public static final int UPDATE_MODIFY = 1;
    public static final int UPDATE_DELETE = 2;
    public static final int UPDATE_ADD_LAST = 3;
    public static final int UPDATE_ADD_FIRST = 4;

    /** virNetworkUpdateSection (only the DHCP host section is supported so far). */
    public static final int SECTION_IP_DHCP_HOST = 4;

    /** virNetworkUpdateFlags. */
    public static final int UPDATE_AFFECT_CURRENT = 0;
    public static final int UPDATE_AFFECT_LIVE = 1;
    public static final int UPDATE_AFFECT_CONFIG = 2;

    private NetworkFlags() {
    }
}
