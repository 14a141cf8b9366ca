package org.jvirtd.api.connect;

import java.util.List;
import java.util.UUID;

import org.jvirtd.api.network.DhcpLease;
import org.jvirtd.api.network.NetworkEventListener;
import org.jvirtd.api.network.NetworkPortRef;
import org.jvirtd.api.network.NetworkRef;
import org.osgi.annotation.versioning.ProviderType;

/**
 * libvirt's virtual network API (virNetwork*), what virsh's net-* commands and the RPC server use. Every
 * method throws {@link org.jvirtd.api.VirtException} with libvirt's code and message on failure; flag
 * values are in {@link org.jvirtd.api.network.NetworkFlags}.
 */
@ProviderType
public interface Networks {
    /** virConnectListAllNetworks: networks matching the LIST_* filter flags (0: all), sorted by name. */
    List<NetworkRef> listAll(int flags);

    NetworkRef lookupByName(String name);

    NetworkRef lookupByUuid(UUID uuid);

    /** virNetworkDefineXML: defines or redefines a persistent network. */
    NetworkRef define(String xml, int flags);

    /** virNetworkUndefine: a running network becomes transient and goes when it stops. */
    void undefine(NetworkRef network);

    /** virNetworkCreateXML: creates and starts a transient network. */
    NetworkRef createXml(String xml, int flags);

    /** virNetworkCreate: starts a defined network. */
    void create(NetworkRef network);

    /** virNetworkDestroy: stops a network, removing its bridge, rules and DHCP server. */
    void destroy(NetworkRef network);

    boolean autostart(NetworkRef network);

    void setAutostart(NetworkRef network, boolean autostart);

    boolean isActive(NetworkRef network);

    boolean isPersistent(NetworkRef network);

    /** virNetworkGetXMLDesc: the live definition, or the persistent one with XML_INACTIVE. */
    String xml(NetworkRef network, int flags);

    /** virNetworkGetBridgeName. */
    String bridgeName(NetworkRef network);

    /** virNetworkGetDHCPLeases: the network's leases, only those of {@code mac} when it is not null. */
    List<DhcpLease> leases(NetworkRef network, String mac, int flags);

    /** virNetworkUpdate: applies a command (UPDATE_*) to a section (SECTION_*) of the live and/or persistent definition. */
    void update(NetworkRef network, int command, int section, int parentIndex, String xml, int flags);

    /** virNetworkPortCreateXML: adds a port to an active network; the network decides how it plugs in. */
    NetworkPortRef createPort(NetworkRef network, String xml, int flags);

    /** virNetworkPortLookupByUUID. */
    NetworkPortRef lookupPort(NetworkRef network, UUID uuid);

    /** virNetworkListAllPorts: the ports of an active network, sorted by UUID. */
    List<NetworkPortRef> listPorts(NetworkRef network, int flags);

    /** virNetworkPortGetXMLDesc: the port's {@code <networkport>} XML. */
    String portXml(NetworkPortRef port, int flags);

    /**
     * virNetworkPortGetParameters: the port's bandwidth as VIR_NETWORK_PORT_BANDWIDTH_* unsigned ints (inbound
     * average, peak, floor, burst; outbound average, peak, burst), for each direction it has.
     */
    default List<org.jvirtd.api.TypedParameter> portParameters(NetworkPortRef port, int flags) {
        throw org.jvirtd.api.VirtErrors.noSupport("virNetworkPortGetParameters");
    }

    /** virNetworkPortSetParameters: replaces the port's bandwidth with the one the parameters give. */
    default void setPortParameters(NetworkPortRef port, List<org.jvirtd.api.TypedParameter> params, int flags) {
        throw org.jvirtd.api.VirtErrors.noSupport("virNetworkPortSetParameters");
    }

    /** virNetworkPortDelete. */
    void deletePort(NetworkPortRef port, int flags);

    /** Delivers network lifecycle events to a listener until the returned handle is closed. */
    AutoCloseable subscribe(NetworkEventListener listener);
}
