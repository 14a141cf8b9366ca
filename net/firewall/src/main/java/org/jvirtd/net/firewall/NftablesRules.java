package org.jvirtd.net.firewall;

import org.jvirtd.model.network.NetworkDef;

/**
 * A network's nftables ruleset: one {@code inet} table of jvirtd's own per network, holding its forward
 * filter and its masquerading, so removing the network's rules is deleting the table. A pure function of
 * the definition.
 */
final class NftablesRules {
    private NftablesRules() {
    }

    /** The network's table name: jvirtd_ and the bridge name with anything but letters and digits as '_'. */
    static String table(NetworkDef def) {
        return "jvirtd_" + def.bridge().name().replaceAll("[^A-Za-z0-9]", "_");
    }

    /** A script for {@code nft -f} that replaces the network's table atomically (creating it first if needed). */
    static String replace(NetworkDef def) {
        String table = "inet " + table(def);
        return "table " + table + " {}\ndelete table " + table + "\n" + ruleset(def);
    }

    static String ruleset(NetworkDef def) {
        FirewallTargets t = FirewallTargets.of(def);
        String br = quote(t.bridge());
        StringBuilder out = new StringBuilder("table inet ").append(table(def)).append(" {\n");
        out.append("  chain input {\n    type filter hook input priority filter; policy accept;\n")
            .append("    iifname ").append(br).append(" meta l4proto { tcp, udp } th dport { 53, 67")
            .append(t.tftp() ? ", 69" : "").append(t.ipv6Addresses() ? ", 547" : "").append(" } accept\n  }\n");
        out.append("  chain forward {\n    type filter hook forward priority filter; policy accept;\n")
            .append("    iifname ").append(br).append(" oifname ").append(br).append(" accept\n");
        String in = t.forwardDev() == null ? "" : "iifname " + quote(t.forwardDev()) + " ";
        String outDev = t.forwardDev() == null ? "" : " oifname " + quote(t.forwardDev());
        for (FirewallTargets.Subnet s : t.subnets()) {
            String family = s.subnet().isIpv6() ? "ip6" : "ip";
            String net = s.subnet().cidr();
            out.append("    iifname ").append(br).append(outDev).append(' ').append(family).append(" saddr ")
                .append(net).append(" accept\n");
            out.append("    ").append(in).append("oifname ").append(br).append(' ').append(family).append(" daddr ")
                .append(net).append(s.masquerade() ? " ct state established,related" : "").append(" accept\n");
        }
        out.append("    iifname ").append(br).append(" reject\n")
            .append("    oifname ").append(br).append(" reject\n  }\n");
        if (t.subnets().stream().anyMatch(FirewallTargets.Subnet::masquerade)) {
            out.append("  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n");
            for (FirewallTargets.Subnet s : t.subnets()) {
                if (!s.masquerade()) {
                    continue;
                }
                String family = s.subnet().isIpv6() ? "ip6" : "ip";
                String from = "    " + family + " saddr " + s.subnet().cidr() + " ";
                out.append(from).append(family).append(" daddr ")
                    .append(s.subnet().isIpv6() ? "ff02::/16" : "{ 224.0.0.0/24, 255.255.255.255 }").append(" return\n");
                String match = from + family + " daddr != " + s.subnet().cidr()
                    + (t.forwardDev() == null ? "" : " oifname " + quote(t.forwardDev()));
                String snat = t.snatAddress();
                String action = snat == null ? "masquerade" : "snat " + family + " to " + snat;
                out.append(match).append(" meta l4proto { tcp, udp } ").append(action).append(" to :")
                    .append(t.portRange()).append('\n');
                out.append(match).append(' ').append(action).append('\n');
            }
            out.append("  }\n");
        }
        return out.append("}\n").toString();
    }

    private static String quote(String name) {
        return "\"" + name + "\"";
    }
}
