package org.jvirtd.net.core;

import java.util.UUID;

/**
 * One port of a network (libvirt's virNetworkPortDef, without bandwidth and rx filters): who owns it, its
 * MAC address and how it plugs into the network ({@code plugType} null: not plugged, 'network' or 'bridge'
 * with the bridge it joins).
 */
record NetworkPort(UUID uuid, String ownerName, UUID ownerUuid, String mac, String plugType, String plugBridge) {
    NetworkPort plugged(String type, String bridge) {
        return new NetworkPort(uuid, ownerName, ownerUuid, mac, type, bridge);
    }
}
