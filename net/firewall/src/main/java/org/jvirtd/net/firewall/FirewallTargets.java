package org.jvirtd.net.firewall;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.model.network.Forward;
import org.jvirtd.model.network.ForwardMode;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.model.network.NetworkIp;
import org.jvirtd.net.host.IpSubnet;

/**
 * What a network's firewall rules are about, read once from the definition and shared by both
 * backends: bridge, uplink device, which subnets are masqueraded or routed, and which services the
 * bridge offers.
 */
record FirewallTargets(String bridge, String forwardDev, List<Subnet> subnets, boolean ipv6, boolean ipv6Addresses,
                       boolean tftp, boolean dhcpV4, Forward.Nat nat) {

    /** One {@code <ip>} of the network and what happens to its traffic. */
    record Subnet(IpSubnet subnet, boolean masquerade) {
    }

    static FirewallTargets of(NetworkDef def) {
        ForwardMode mode = def.forwardMode();
        Forward forward = def.forward();
        Forward.Nat nat = forward == null ? null : forward.nat();
        boolean natIpv6 = nat != null && Boolean.TRUE.equals(nat.ipv6());
        List<Subnet> subnets = new ArrayList<>();
        for (NetworkIp ip : def.ips()) {
            if (mode == ForwardMode.NAT) {
                subnets.add(new Subnet(IpSubnet.of(ip), !ip.isIpv6() || natIpv6));
            } else if (mode == ForwardMode.ROUTE) {
                subnets.add(new Subnet(IpSubnet.of(ip), false));
            }
        }
        NetworkIp firstV4 = def.ips().stream().filter(ip -> !ip.isIpv6())
            .filter(ip -> hasDhcp(ip) || ip.tftpRoot() != null).findFirst().orElse(null);
        boolean ipv6Addresses = def.ips().stream().anyMatch(NetworkIp::isIpv6);
        return new FirewallTargets(def.bridge().name(),
            forward == null || forward.interfaces().isEmpty() ? null : forward.interfaces().get(0), subnets,
            ipv6Addresses || def.ipv6(), ipv6Addresses, firstV4 != null && firstV4.tftpRoot() != null,
            def.ips().stream().anyMatch(ip -> !ip.isIpv6() && hasDhcp(ip)), nat);
    }

    private static boolean hasDhcp(NetworkIp ip) {
        return ip.dhcp() != null && !(ip.dhcp().ranges().isEmpty() && ip.dhcp().hosts().isEmpty());
    }

    /** The port range masquerading maps to: the {@code <nat><port>} range, else 1024-65535. */
    String portRange() {
        int start = nat != null && nat.portStart() != null ? nat.portStart() : 1024;
        int end = nat != null && nat.portEnd() != null ? nat.portEnd() : 65535;
        return start + "-" + end;
    }

    /** The SNAT source ({@code start[-end]}) when {@code <nat><address>} is set, else null. */
    String snatAddress() {
        if (nat == null || nat.addressStart() == null) {
            return null;
        }
        return nat.addressEnd() == null ? nat.addressStart() : nat.addressStart() + "-" + nat.addressEnd();
    }
}
