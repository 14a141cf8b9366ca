package org.jvirtd.rpc.access;

import java.util.Map;

import org.jvirtd.platform.net.UnixPeer;

/** One of libvirt's access drivers (access_drivers): decides whether a client may use a permission on an object. */
public interface AccessDriver {
    /** Its name in access_drivers ("polkit"). */
    String name();

    /**
     * @param subject    the client's process, null when it is not on a unix socket
     * @param attributes connect_driver, then the object's attributes, in libvirt's order
     * @return false when denied, also when the driver could not decide (libvirt denies then too)
     */
    boolean permits(UnixPeer subject, Permission permission, Map<String, String> attributes);
}
