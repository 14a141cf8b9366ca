package org.jvirtd.net.core;

import java.util.UUID;

import org.jvirtd.model.network.Bandwidth;

/**
 * One port of a network (libvirt's virNetworkPortDef, without rx filters): who owns it, its MAC address, its
 * bandwidth limits (null: none) and how it plugs into the network ({@code plugType} null: not plugged,
 * 'network' or 'bridge' with the bridge it joins).
 */
record NetworkPort(UUID uuid, String ownerName, UUID ownerUuid, String mac, Bandwidth bandwidth, String plugType,
                   String plugBridge) {
    NetworkPort plugged(String type, String bridge) {
        return new NetworkPort(uuid, ownerName, ownerUuid, mac, bandwidth, type, bridge);
    }

    NetworkPort withBandwidth(Bandwidth limits) {
        return new NetworkPort(uuid, ownerName, ownerUuid, mac, limits, plugType, plugBridge);
    }
}
