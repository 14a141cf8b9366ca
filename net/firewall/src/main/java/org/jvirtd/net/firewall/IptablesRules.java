package org.jvirtd.net.firewall;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.model.network.NetworkDef;

/**
 * A network's iptables/ip6tables commands as libvirt issues them: the private chains, then per network the
 * general rules, the per-address forwarding and masquerading rules and the DHCP checksum fix. A pure
 * function of the definition; the chain prefix is libvirt's {@code LIBVIRT} or jvirtd's own.
 */
final class IptablesRules {
    static final String V4 = "iptables";
    static final String V6 = "ip6tables";

    private final String prefix;

    IptablesRules(String prefix) {
        this.prefix = prefix;
    }

    String chain(String suffix) {
        return prefix + "_" + suffix;
    }

    /** The commands that create the private chains and jump to them, IPv4 then IPv6 (after listing each table). */
    List<List<String>> privateChains() {
        List<List<String>> out = new ArrayList<>();
        for (String tool : List.of(V4, V6)) {
            for (String table : List.of("filter", "nat", "mangle")) {
                out.add(List.of(tool, "-w", "--table", table, "--list-rules"));
            }
            for (String[] chain : chainTable()) {
                out.add(List.of(tool, "-w", "--table", chain[0], "--new-chain", chain(chain[1])));
                out.add(List.of(tool, "-w", "--table", chain[0], "--insert", chain[2], "--jump", chain(chain[1])));
            }
        }
        return out;
    }

    /** (table, chain suffix, builtin chain that jumps to it). */
    static List<String[]> chainTable() {
        return List.of(new String[] {"filter", "INP", "INPUT"}, new String[] {"filter", "OUT", "OUTPUT"},
            new String[] {"filter", "FWO", "FORWARD"}, new String[] {"filter", "FWI", "FORWARD"},
            new String[] {"filter", "FWX", "FORWARD"}, new String[] {"nat", "PRT", "POSTROUTING"},
            new String[] {"mangle", "PRT", "POSTROUTING"});
    }

    /** The commands that add the network's rules, in libvirt's order. */
    List<List<String>> add(NetworkDef def) {
        return rules(FirewallTargets.of(def), "--insert");
    }

    /** The commands that delete exactly what {@link #add} inserted, last first. */
    List<List<String>> remove(NetworkDef def) {
        List<List<String>> rules = rules(FirewallTargets.of(def), "--delete");
        java.util.Collections.reverse(rules);
        return rules;
    }

    private List<List<String>> rules(FirewallTargets t, String action) {
        Rules r = new Rules(action);
        String br = t.bridge();
        r.service(V4, "INP", br, "tcp", 67).service(V4, "INP", br, "udp", 67)
            .service(V4, "OUT", br, "tcp", 68).service(V4, "OUT", br, "udp", 68)
            .service(V4, "INP", br, "tcp", 53).service(V4, "INP", br, "udp", 53)
            .service(V4, "OUT", br, "tcp", 53).service(V4, "OUT", br, "udp", 53);
        if (t.tftp()) {
            r.service(V4, "INP", br, "udp", 69).service(V4, "OUT", br, "udp", 69);
        }
        r.isolate(V4, br);
        if (t.ipv6()) {
            r.isolate(V6, br);
            if (t.ipv6Addresses()) {
                r.service(V6, "INP", br, "tcp", 53).service(V6, "INP", br, "udp", 53)
                    .service(V6, "OUT", br, "tcp", 53).service(V6, "OUT", br, "udp", 53)
                    .service(V6, "INP", br, "udp", 547).service(V6, "OUT", br, "udp", 546);
            }
        }
        for (FirewallTargets.Subnet s : t.subnets()) {
            String tool = s.subnet().isIpv6() ? V6 : V4;
            String net = s.subnet().cidr();
            r.allowOut(tool, net, br, t.forwardDev());
            if (s.masquerade()) {
                r.allowRelatedIn(tool, net, br, t.forwardDev());
                for (String protocol : new String[] {null, "udp", "tcp"}) {
                    r.masquerade(tool, net, t, protocol);
                }
                if (!s.subnet().isIpv6()) {
                    r.dontMasquerade(tool, net, t.forwardDev(), "255.255.255.255/32");
                }
                r.dontMasquerade(tool, net, t.forwardDev(), s.subnet().isIpv6() ? "ff02::/16" : "224.0.0.0/24");
            } else {
                r.allowIn(tool, net, br, t.forwardDev());
            }
        }
        if (t.dhcpV4()) {
            r.add(V4, "mangle", "PRT", "--out-interface", br, "--protocol", "udp", "--destination-port", "68",
                "--jump", "CHECKSUM", "--checksum-fill");
        }
        return r.out;
    }

    /** Collects commands for one action (--insert or --delete). */
    private final class Rules {
        final List<List<String>> out = new ArrayList<>();
        final String action;

        Rules(String action) {
            this.action = action;
        }

        Rules add(String tool, String table, String chain, String... args) {
            List<String> argv = new ArrayList<>(List.of(tool, "-w", "--table", table, action, chain(chain)));
            argv.addAll(List.of(args));
            out.add(argv);
            return this;
        }

        Rules service(String tool, String chain, String bridge, String protocol, int port) {
            return add(tool, "filter", chain, chain.equals("INP") ? "--in-interface" : "--out-interface", bridge,
                "--protocol", protocol, "--destination-port", Integer.toString(port), "--jump", "ACCEPT");
        }

        void isolate(String tool, String bridge) {
            add(tool, "filter", "FWO", "--in-interface", bridge, "--jump", "REJECT");
            add(tool, "filter", "FWI", "--out-interface", bridge, "--jump", "REJECT");
            add(tool, "filter", "FWX", "--in-interface", bridge, "--out-interface", bridge, "--jump", "ACCEPT");
        }

        void allowOut(String tool, String net, String bridge, String dev) {
            List<String> args = new ArrayList<>(List.of("--source", net, "--in-interface", bridge));
            if (dev != null) {
                args.addAll(List.of("--out-interface", dev));
            }
            args.addAll(List.of("--jump", "ACCEPT"));
            add(tool, "filter", "FWO", args.toArray(String[]::new));
        }

        void allowRelatedIn(String tool, String net, String bridge, String dev) {
            List<String> args = new ArrayList<>(List.of("--destination", net));
            if (dev != null) {
                args.addAll(List.of("--in-interface", dev));
            }
            args.addAll(List.of("--out-interface", bridge, "--match", "conntrack", "--ctstate", "ESTABLISHED,RELATED",
                "--jump", "ACCEPT"));
            add(tool, "filter", "FWI", args.toArray(String[]::new));
        }

        void allowIn(String tool, String net, String bridge, String dev) {
            List<String> args = new ArrayList<>(List.of("--destination", net));
            if (dev != null) {
                args.addAll(List.of("--in-interface", dev));
            }
            args.addAll(List.of("--out-interface", bridge, "--jump", "ACCEPT"));
            add(tool, "filter", "FWI", args.toArray(String[]::new));
        }

        void masquerade(String tool, String net, FirewallTargets t, String protocol) {
            List<String> args = new ArrayList<>(List.of("--source", net));
            if (protocol != null) {
                args.addAll(List.of("-p", protocol));
            }
            args.addAll(List.of("!", "--destination", net));
            if (t.forwardDev() != null) {
                args.addAll(List.of("--out-interface", t.forwardDev()));
            }
            String ports = protocol == null ? null : t.portRange();
            String snat = t.snatAddress();
            if (snat != null) {
                args.addAll(List.of("--jump", "SNAT", "--to-source", ports == null ? snat : snat + ":" + ports));
            } else {
                args.addAll(List.of("--jump", "MASQUERADE"));
                if (ports != null) {
                    args.addAll(List.of("--to-ports", ports));
                }
            }
            add(tool, "nat", "PRT", args.toArray(String[]::new));
        }

        void dontMasquerade(String tool, String net, String dev, String destination) {
            List<String> args = new ArrayList<>();
            if (dev != null) {
                args.addAll(List.of("--out-interface", dev));
            }
            args.addAll(List.of("--source", net, "--destination", destination, "--jump", "RETURN"));
            add(tool, "nat", "PRT", args.toArray(String[]::new));
        }
    }
}
