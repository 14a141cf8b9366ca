package org.jvirtd.net.nwfilter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The iptables (or ip6tables) commands that put a binding's layer-3 rules on its port, as libvirt 9.0's ebiptables
 * driver lays them in the filter table: chains {@code FI-DEV} (forwarded from the guest), {@code FO-DEV} (forwarded
 * to it) and {@code HI-DEV} (from the guest to the host), jumped to through physdev matches from libvirt's
 * {@code libvirt-in}, {@code libvirt-out} and {@code libvirt-host-in}. A rule goes as written into the chains of its
 * direction and with source and destination swapped into the others; an accepting rule matches connection state
 * (new or established in its direction, established replies the other way) unless {@code statematch='false'}, it
 * is an inout rule, or the rule names the states itself (then only its own direction). ICMP rules go only into
 * their own direction's chains. Pure: the commands are run by {@link FirewallCommands}.
 */
final class IptablesRules {
    private static final String ORIGINAL = "ORIGINAL";
    private static final String REPLY = "REPLY";

    private IptablesRules() {
    }

    /** The filter-table chains jvirtd hooks into, created once per namespace as libvirt creates them. */
    static List<List<String>> framework(String tool) {
        return List.of(List.of(tool, "-N", "libvirt-host-in"), List.of(tool, "-N", "libvirt-in"),
            List.of(tool, "-N", "libvirt-out"), List.of(tool, "-N", "libvirt-in-post"),
            List.of(tool, "-A", "INPUT", "-j", "libvirt-host-in"), List.of(tool, "-A", "FORWARD", "-j", "libvirt-in"),
            List.of(tool, "-A", "FORWARD", "-j", "libvirt-out"), List.of(tool, "-A", "FORWARD", "-j", "libvirt-in-post"));
    }

    private record Entry(int priority, List<String> args) {
    }

    /** The commands for the rules of one layer; none when the binding has no rule of it. */
    static List<List<String>> apply(String tool, Protocols.Layer layer, String portDev,
                                    List<FilterTree.Instance> instances) {
        List<Entry> forwardIn = new ArrayList<>();
        List<Entry> forwardOut = new ArrayList<>();
        List<Entry> hostIn = new ArrayList<>();
        for (FilterTree.Instance instance : instances) {
            FilterDef.Match match = instance.rule().match();
            if (match == null || Protocols.byName(match.protocol()).layer() != layer) {
                continue;
            }
            rules(instance, forwardIn, forwardOut, hostIn);
        }
        if (forwardIn.isEmpty() && forwardOut.isEmpty() && hostIn.isEmpty()) {
            return List.of();
        }
        List<List<String>> commands = new ArrayList<>();
        String fi = "FI-" + portDev;
        String fo = "FO-" + portDev;
        String hi = "HI-" + portDev;
        for (String chain : List.of(fi, fo, hi)) {
            commands.add(List.of(tool, "-N", chain));
        }
        append(commands, tool, fi, forwardIn);
        append(commands, tool, fo, forwardOut);
        append(commands, tool, hi, hostIn);
        commands.add(List.of(tool, "-A", "libvirt-out", "-m", "physdev", "--physdev-out", portDev,
            "--physdev-is-bridged", "-g", fo));
        commands.add(List.of(tool, "-A", "libvirt-in", "-m", "physdev", "--physdev-in", portDev, "-g", fi));
        commands.add(List.of(tool, "-A", "libvirt-host-in", "-m", "physdev", "--physdev-in", portDev, "-g", hi));
        commands.add(List.of(tool, "-A", "libvirt-in-post", "-m", "physdev", "--physdev-in", portDev, "-j", "ACCEPT"));
        return commands;
    }

    /** The commands that take a port's chains and jumps away (each may fail when it is not there). */
    static List<List<String>> remove(String tool, String portDev) {
        String fi = "FI-" + portDev;
        String fo = "FO-" + portDev;
        String hi = "HI-" + portDev;
        return List.of(
            List.of(tool, "-D", "libvirt-out", "-m", "physdev", "--physdev-out", portDev, "--physdev-is-bridged", "-g", fo),
            List.of(tool, "-D", "libvirt-in", "-m", "physdev", "--physdev-in", portDev, "-g", fi),
            List.of(tool, "-D", "libvirt-host-in", "-m", "physdev", "--physdev-in", portDev, "-g", hi),
            List.of(tool, "-D", "libvirt-in-post", "-m", "physdev", "--physdev-in", portDev, "-j", "ACCEPT"),
            List.of(tool, "-F", fi), List.of(tool, "-X", fi), List.of(tool, "-F", fo), List.of(tool, "-X", fo),
            List.of(tool, "-F", hi), List.of(tool, "-X", hi));
    }

    private static void append(List<List<String>> commands, String tool, String chain, List<Entry> entries) {
        entries.stream().sorted(Comparator.comparingInt(Entry::priority)).forEach(e -> {
            List<String> argv = new ArrayList<>(List.of(tool, "-A", chain));
            argv.addAll(e.args());
            commands.add(argv);
        });
    }

    /** One rule's entries in FI, FO and HI. */
    private static void rules(FilterTree.Instance instance, List<Entry> fi, List<Entry> fo, List<Entry> hi) {
        FilterDef.Rule rule = instance.rule();
        String direction = rule.direction();
        boolean icmp = rule.match().protocol().startsWith("icmp");
        String states = instance.values().get("state");
        int priority = rule.priority();
        if (rule.statematch() && states != null) {
            if (!direction.equals("out")) {
                fo.add(new Entry(priority, rule(instance, false, "--ctstate", states, null, target(rule, false))));
            }
            if (!direction.equals("in")) {
                List<String> args = rule(instance, false, "--ctstate", states, null, target(rule, true));
                fi.add(new Entry(priority, args));
                hi.add(new Entry(priority, args));
            }
            return;
        }
        boolean needState = rule.statematch() && rule.action().equals("accept") && !direction.equals("inout");
        boolean out = direction.equals("out");
        if (!(icmp && out)) {
            String ctdir = needState && !icmp ? (out ? REPLY : ORIGINAL) : null;
            String state = needState ? (out ? "ESTABLISHED" : "NEW,ESTABLISHED") : null;
            fo.add(new Entry(priority, rule(instance, out, state == null ? null : "--ctstate", state, ctdir,
                target(rule, false))));
        }
        if (!(icmp && direction.equals("in"))) {
            String ctdir = needState && !icmp ? (out ? ORIGINAL : REPLY) : null;
            String state = needState ? (out ? "NEW,ESTABLISHED" : "ESTABLISHED") : null;
            List<String> args = rule(instance, !out, state == null ? null : "--ctstate", state, ctdir, target(rule, true));
            fi.add(new Entry(priority, args));
            hi.add(new Entry(priority, args));
        }
    }

    /** The target in FO (toGuest false) or in FI/HI, where an accepted packet goes on to libvirt's own checks. */
    private static List<String> target(FilterDef.Rule rule, boolean fromGuest) {
        return switch (rule.action()) {
            case "accept" -> List.of("-j", fromGuest ? "RETURN" : "ACCEPT");
            case "reject" -> List.of("-j", "REJECT");
            case "return" -> List.of("-j", "RETURN");
            case "continue" -> List.of("-j", "CONTINUE");
            default -> List.of("-j", "DROP");
        };
    }

    private static List<String> rule(FilterTree.Instance instance, boolean reverse, String stateOption, String state,
                                     String ctdir, List<String> target) {
        Map<String, String> v = instance.values();
        String protocol = instance.rule().match().protocol().replace("-ipv6", "");
        List<String> args = new ArrayList<>();
        addressed(args, reverse ? "-d" : "-s", v.get("srcipaddr"), v.get("srcipmask"));
        addressed(args, reverse ? "-s" : "-d", v.get("dstipaddr"), v.get("dstipmask"));
        if (!protocol.equals("all")) {
            args.addAll(List.of("-p", protocol.equals("icmpv6") ? "ipv6-icmp" : protocol));
        }
        if (!reverse && v.get("srcmacaddr") != null) {
            args.addAll(List.of("-m", "mac", "--mac-source", v.get("srcmacaddr")));
        }
        range(args, reverse ? "--dst-range" : "--src-range", v.get("srcipfrom"), v.get("srcipto"));
        range(args, reverse ? "--src-range" : "--dst-range", v.get("dstipfrom"), v.get("dstipto"));
        List<String> ports = new ArrayList<>();
        port(ports, reverse ? "--dport" : "--sport", v.get("srcportstart"), v.get("srcportend"));
        port(ports, reverse ? "--sport" : "--dport", v.get("dstportstart"), v.get("dstportend"));
        if (v.get("flags") != null) {
            String[] flags = v.get("flags").split("/");
            ports.addAll(List.of("--tcp-flags", flags[0], flags[1]));
        }
        if (v.get("option") != null) {
            ports.addAll(List.of("--tcp-option", v.get("option")));
        }
        if (!ports.isEmpty()) {
            args.addAll(List.of("-m", protocol));
            args.addAll(ports);
        }
        if (v.get("type") != null) {
            String type = v.get("type") + (v.get("code") != null ? "/" + v.get("code") : "");
            args.addAll(protocol.equals("icmpv6") ? List.of("-m", "icmp6", "--icmpv6-type", type)
                : List.of("-m", "icmp", "--icmp-type", type));
        }
        if (v.get("dscp") != null) {
            args.addAll(List.of("-m", "dscp", "--dscp", v.get("dscp")));
        }
        if (stateOption != null) {
            args.addAll(List.of("-m", "conntrack", stateOption, state));
        }
        if (ctdir != null) {
            args.addAll(List.of("-m", "conntrack", "--ctdir", ctdir));
        }
        args.addAll(target);
        return args;
    }

    private static void addressed(List<String> args, String option, String address, String mask) {
        if (address != null) {
            args.addAll(List.of(option, mask == null ? address : address + "/" + mask));
        }
    }

    private static void range(List<String> args, String option, String from, String to) {
        if (from != null) {
            args.addAll(List.of("-m", "iprange", option, to == null ? from : from + "-" + to));
        }
    }

    private static void port(List<String> args, String option, String start, String end) {
        if (start != null) {
            args.addAll(List.of(option, end == null ? start : start + ":" + end));
        }
    }
}
