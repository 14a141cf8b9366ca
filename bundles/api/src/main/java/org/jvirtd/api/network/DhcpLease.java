package org.jvirtd.api.network;

/**
 * One DHCP lease of a network (virNetworkDHCPLease), expiry in seconds since the epoch.
 */
public record DhcpLease(String iface, long expiryTime, int type, String mac, String iaid, String ipAddress,
                        int prefix, String hostname, String clientId) {
}
