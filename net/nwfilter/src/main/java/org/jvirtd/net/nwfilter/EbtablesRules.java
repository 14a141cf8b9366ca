package org.jvirtd.net.nwfilter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ebtables commands that put a binding's layer-2 rules on its port, as libvirt 9.0's ebiptables driver lays
 * them out in the nat table: {@code PREROUTING -i DEV -j libvirt-I-DEV} for what the guest sends (rules of
 * direction out and inout) and {@code POSTROUTING -o DEV -j libvirt-O-DEV} for what it receives (in and inout, an
 * inout rule with source and destination swapped); a filter whose chain is not root gets a chain of its own,
 * {@code I-DEV-CHAIN}, jumped to from the root chain for the chain's protocol at the chain's priority. Pure: the
 * commands are run by {@link FirewallCommands}.
 */
final class EbtablesRules {
    private static final Map<String, String> ETHER_TYPES = Map.of("ipv4", "IPv4", "ipv6", "IPv6", "arp", "ARP",
        "rarp", "RARP", "vlan", "802_1Q");
    private static final String STP_ADDRESS = "01:80:c2:00:00:00";

    private EbtablesRules() {
    }

    /** One entry of a chain: its priority and the ebtables match and target. */
    private record Entry(int priority, List<String> args) {
    }

    /** The commands that create the port's chains and hook them in; the chains must not exist yet. */
    static List<List<String>> apply(String portDev, List<FilterTree.Instance> instances) {
        List<List<String>> commands = new ArrayList<>();
        for (boolean incoming : List.of(true, false)) {
            String side = incoming ? "I" : "O";
            String root = "libvirt-" + side + "-" + portDev;
            List<Entry> rootEntries = new ArrayList<>();
            Map<String, List<Entry>> subChains = new LinkedHashMap<>();
            for (FilterTree.Instance instance : instances) {
                if (!isLayer2(instance) || !appliesTo(instance.rule().direction(), incoming)) {
                    continue;
                }
                boolean reverse = !incoming && instance.rule().direction().equals("inout");
                Entry entry = new Entry(instance.rule().priority(), rule(instance, reverse));
                if (instance.chain().equals("root")) {
                    rootEntries.add(entry);
                    continue;
                }
                String chain = side + "-" + portDev + "-" + instance.chain();
                if (!subChains.containsKey(chain)) {
                    List<String> jump = new ArrayList<>(chainMatch(instance.chain()));
                    jump.addAll(List.of("-j", chain));
                    rootEntries.add(new Entry(instance.chainPriority(), jump));
                    subChains.put(chain, new ArrayList<>());
                }
                subChains.get(chain).add(entry);
            }
            if (rootEntries.isEmpty()) {
                continue;
            }
            commands.add(ebtables("-N", root, "-P", "RETURN"));
            subChains.forEach((chain, entries) -> {
                commands.add(ebtables("-N", chain, "-P", "RETURN"));
                append(commands, chain, entries);
            });
            append(commands, root, rootEntries);
            commands.add(ebtables("-A", incoming ? "PREROUTING" : "POSTROUTING", incoming ? "-i" : "-o", portDev,
                "-j", root));
        }
        return commands;
    }

    /**
     * The rules libvirt lays while it learns a port's IP address: frames from the guest's own MAC address only,
     * and of those only IPv4 and ARP.
     */
    static List<List<String>> learning(String portDev, String mac) {
        String root = "libvirt-I-" + portDev;
        return List.of(ebtables("-N", root, "-P", "RETURN"),
            ebtables("-A", root, "-s", "!", mac, "-j", "DROP"),
            ebtables("-A", root, "-p", "IPv4", "-j", "ACCEPT"),
            ebtables("-A", root, "-p", "ARP", "-j", "ACCEPT"),
            ebtables("-A", root, "-j", "DROP"),
            ebtables("-A", "PREROUTING", "-i", portDev, "-j", root));
    }

    /** The commands that take the port's rules away, given the chains the nat table has now. */
    static List<List<String>> remove(String portDev, List<String> existingChains) {
        List<List<String>> commands = new ArrayList<>();
        String in = "libvirt-I-" + portDev;
        String out = "libvirt-O-" + portDev;
        if (existingChains.contains(in)) {
            commands.add(ebtables("-D", "PREROUTING", "-i", portDev, "-j", in));
        }
        if (existingChains.contains(out)) {
            commands.add(ebtables("-D", "POSTROUTING", "-o", portDev, "-j", out));
        }
        List<String> ours = existingChains.stream().filter(c -> c.equals(in) || c.equals(out)
            || c.startsWith("I-" + portDev + "-") || c.startsWith("O-" + portDev + "-")).toList();
        ours.forEach(c -> commands.add(ebtables("-F", c)));
        ours.forEach(c -> commands.add(ebtables("-X", c)));
        return commands;
    }

    private static void append(List<List<String>> commands, String chain, List<Entry> entries) {
        entries.stream().sorted(Comparator.comparingInt(Entry::priority)).forEach(e -> {
            List<String> argv = new ArrayList<>(List.of("ebtables", "-t", "nat", "-A", chain));
            argv.addAll(e.args());
            commands.add(argv);
        });
    }

    static List<String> ebtables(String... args) {
        List<String> argv = new ArrayList<>(List.of("ebtables", "-t", "nat"));
        argv.addAll(List.of(args));
        return argv;
    }

    private static boolean isLayer2(FilterTree.Instance instance) {
        FilterDef.Match match = instance.rule().match();
        return match == null || Protocols.byName(match.protocol()).layer() == Protocols.Layer.EBTABLES;
    }

    private static boolean appliesTo(String direction, boolean incoming) {
        return direction.equals("inout") || direction.equals(incoming ? "out" : "in");
    }

    /** What the root chain's jump to a filter's chain matches: the frames of the chain's protocol. */
    private static List<String> chainMatch(String chain) {
        String prefix = FilterXml.chainPrefix(chain);
        if (prefix.equals("mac")) {
            return List.of();
        }
        if (prefix.equals("stp")) {
            return List.of("-d", STP_ADDRESS);
        }
        return List.of("-p", ETHER_TYPES.get(prefix));
    }

    private static List<String> rule(FilterTree.Instance instance, boolean reverse) {
        List<String> args = new ArrayList<>();
        FilterDef.Match match = instance.rule().match();
        if (match != null) {
            Map<String, String> v = instance.values();
            switch (match.protocol()) {
                case "mac" -> {
                    protocol(args, v.get("protocolid"));
                    macs(args, v, reverse);
                }
                case "vlan" -> {
                    args.addAll(List.of("-p", "802_1Q"));
                    macs(args, v, reverse);
                    option(args, "--vlan-id", v.get("vlanid"));
                    if (v.get("encap-protocol") != null) {
                        args.addAll(List.of("--vlan-encap", etherType(v.get("encap-protocol"))));
                    }
                }
                case "stp" -> {
                    args.addAll(List.of("-d", STP_ADDRESS));
                    addressed(args, reverse ? "-d" : "-s", v.get("srcmacaddr"), v.get("srcmacmask"));
                    option(args, "--stp-type", v.get("type"));
                    option(args, "--stp-flags", v.get("flags"));
                }
                case "arp", "rarp" -> arp(args, match.protocol(), v, reverse);
                case "ip" -> ip(args, "IPv4", "--ip-", v, reverse);
                case "ipv6" -> ip(args, "IPv6", "--ip6-", v, reverse);
                default -> throw new IllegalStateException("not a layer-2 protocol: " + match.protocol());
            }
        }
        args.addAll(List.of("-j", target(instance.rule().action())));
        return args;
    }

    private static void protocol(List<String> args, String protocolId) {
        if (protocolId != null) {
            args.addAll(List.of("-p", etherType(protocolId)));
        }
    }

    /** ebtables' reading of a protocol: a name, or hex (libvirt passes a decimal protocol id in hex). */
    private static String etherType(String protocolId) {
        if (protocolId.matches("[0-9]+")) {
            return "0x" + Integer.toHexString(Integer.parseInt(protocolId));
        }
        return ETHER_TYPES.getOrDefault(protocolId, protocolId);
    }

    private static void macs(List<String> args, Map<String, String> v, boolean reverse) {
        addressed(args, reverse ? "-d" : "-s", v.get("srcmacaddr"), v.get("srcmacmask"));
        addressed(args, reverse ? "-s" : "-d", v.get("dstmacaddr"), v.get("dstmacmask"));
    }

    private static void arp(List<String> args, String protocol, Map<String, String> v, boolean reverse) {
        args.addAll(List.of("-p", protocol.equals("arp") ? "ARP" : "RARP"));
        macs(args, v, reverse);
        option(args, "--arp-htype", v.get("hwtype"));
        option(args, "--arp-ptype", v.get("protocoltype"));
        option(args, "--arp-op", v.get("opcode"));
        addressed(args, reverse ? "--arp-ip-dst" : "--arp-ip-src", v.get("arpsrcipaddr"), v.get("arpsrcipmask"));
        addressed(args, reverse ? "--arp-ip-src" : "--arp-ip-dst", v.get("arpdstipaddr"), v.get("arpdstipmask"));
        option(args, reverse ? "--arp-mac-dst" : "--arp-mac-src", v.get("arpsrcmacaddr"));
        option(args, reverse ? "--arp-mac-src" : "--arp-mac-dst", v.get("arpdstmacaddr"));
        if ("true".equals(v.get("gratuitous"))) {
            args.add("--arp-gratuitous");
        }
    }

    private static void ip(List<String> args, String etherType, String prefix, Map<String, String> v, boolean reverse) {
        args.addAll(List.of("-p", etherType));
        macs(args, v, reverse);
        addressed(args, prefix + (reverse ? "dst" : "src"), v.get("srcipaddr"), v.get("srcipmask"));
        addressed(args, prefix + (reverse ? "src" : "dst"), v.get("dstipaddr"), v.get("dstipmask"));
        option(args, prefix + "proto", v.get("protocol"));
        range(args, prefix + (reverse ? "dport" : "sport"), v.get("srcportstart"), v.get("srcportend"));
        range(args, prefix + (reverse ? "sport" : "dport"), v.get("dstportstart"), v.get("dstportend"));
        if (v.get("dscp") != null) {
            args.addAll(List.of("--ip-tos", "0x" + Integer.toHexString(Integer.decode(v.get("dscp")) << 2)));
        }
        if (v.get("type") != null) {
            String type = v.get("type") + (v.get("typeend") != null ? ":" + v.get("typeend") : "");
            String code = v.get("code") == null ? "" : "/" + v.get("code")
                + (v.get("codeend") != null ? ":" + v.get("codeend") : "");
            args.addAll(List.of("--ip6-icmp-type", type + code));
        }
    }

    private static void addressed(List<String> args, String option, String address, String mask) {
        if (address != null) {
            args.addAll(List.of(option, mask == null ? address : address + "/" + mask));
        }
    }

    private static void range(List<String> args, String option, String start, String end) {
        if (start != null) {
            args.addAll(List.of(option, end == null ? start : start + ":" + end));
        }
    }

    private static void option(List<String> args, String option, String value) {
        if (value != null) {
            args.addAll(List.of(option, value));
        }
    }

    static String target(String action) {
        return switch (action) {
            case "accept" -> "ACCEPT";
            case "return" -> "RETURN";
            case "continue" -> "CONTINUE";
            default -> "DROP";
        };
    }
}
