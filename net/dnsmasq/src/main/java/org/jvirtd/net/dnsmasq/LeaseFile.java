package org.jvirtd.net.dnsmasq;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.network.DhcpLease;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.model.network.NetworkIp;
import org.jvirtd.net.host.IpSubnet;

/**
 * Reads dnsmasq's lease database ("expiry mac ip hostname client-id" lines, IPv6 ones after a "duid"
 * line with the IAID in place of the MAC) into libvirt's lease records.
 */
final class LeaseFile {
    private LeaseFile() {
    }

    static List<DhcpLease> parse(String text, NetworkDef def) {
        List<DhcpLease> leases = new ArrayList<>();
        boolean ipv6 = false;
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 2 && f[0].equals("duid")) {
                ipv6 = true;
                continue;
            }
            if (f.length < 4) {
                continue;
            }
            String clientId = f.length > 4 && !f[4].equals("*") ? f[4] : null;
            leases.add(new DhcpLease(def.bridge().name(), Long.parseLong(f[0]), ipv6 ? 1 : 0, ipv6 ? null : f[1],
                ipv6 ? f[1] : null, f[2], prefix(def, f[2], ipv6), f[3].equals("*") ? null : f[3], clientId));
        }
        return leases;
    }

    private static int prefix(NetworkDef def, String address, boolean ipv6) {
        for (NetworkIp ip : def.ips()) {
            if (ip.isIpv6() == ipv6) {
                IpSubnet subnet = IpSubnet.of(ip);
                if (subnet.contains(address)) {
                    return subnet.prefix();
                }
            }
        }
        return 0;
    }
}
