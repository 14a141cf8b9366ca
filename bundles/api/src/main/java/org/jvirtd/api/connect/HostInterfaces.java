package org.jvirtd.api.connect;

import java.util.List;

import org.jvirtd.api.iface.InterfaceRef;
import org.osgi.annotation.versioning.ProviderType;

/**
 * libvirt's host interface API (virInterface*), read-only as libvirt's udev backend serves it: the host's
 * network interfaces, active when up. Every method throws {@link org.jvirtd.api.VirtException} with
 * libvirt's code and message on failure; flag values are in {@link org.jvirtd.api.iface.InterfaceFlags}.
 */
@ProviderType
public interface HostInterfaces {
    /** virConnectListAllInterfaces: interfaces matching the ACTIVE/INACTIVE flags (0: all), sorted by name. */
    List<InterfaceRef> listAll(int flags);

    /**
     * virConnectListInterfaces (active true: operationally up) and virConnectListDefinedInterfaces (false:
     * operationally down; an interface in state "unknown", such as lo, is in neither list), sorted by name.
     */
    List<String> listNames(boolean active);

    InterfaceRef lookupByName(String name);

    /** virInterfaceLookupByMACString: the first interface with exactly this MAC text. */
    InterfaceRef lookupByMac(String mac);

    /** virInterfaceGetXMLDesc. */
    String xml(InterfaceRef iface, int flags);

    /** virInterfaceIsActive. */
    boolean isActive(InterfaceRef iface);
}
