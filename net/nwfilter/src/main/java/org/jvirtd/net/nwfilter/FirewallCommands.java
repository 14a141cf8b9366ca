package org.jvirtd.net.nwfilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * Runs firewall commands in the network namespace ports live in (jvirtd.conf's {@code network_namespace}, empty
 * for the daemon's own): puts a binding's rules on its port and takes them off again.
 */
final class FirewallCommands {
    private final String netns;

    FirewallCommands(String netns) {
        this.netns = netns == null ? "" : netns;
    }

    /** Replaces whatever rules the port has by the binding's. */
    void instantiate(String portDev, List<FilterTree.Instance> instances) {
        lay(portDev, EbtablesRules.apply(portDev, instances));
        for (Protocols.Layer layer : List.of(Protocols.Layer.IPTABLES, Protocols.Layer.IP6TABLES)) {
            String tool = layer == Protocols.Layer.IPTABLES ? "iptables" : "ip6tables";
            List<List<String>> commands = IptablesRules.apply(tool, layer, portDev, instances);
            if (commands.isEmpty()) {
                continue;
            }
            framework(tool);
            for (List<String> command : commands) {
                check(portDev, command);
            }
        }
    }

    /** libvirt's chains in the filter table and the jumps to them, made where they are missing. */
    private void framework(String tool) {
        for (List<String> command : IptablesRules.framework(tool)) {
            if (command.get(1).equals("-N")) {
                run(command);
            } else {
                List<String> probe = new ArrayList<>(command);
                probe.set(1, "-C");
                if (run(probe).status != 0) {
                    check(null, command);
                }
            }
        }
    }

    private void check(String portDev, List<String> command) {
        Result r = run(command);
        if (r.status != 0) {
            if (portDev != null) {
                teardown(portDev);
            }
            throw new VirtException(ErrorCode.BUILD_FIREWALL, ErrorDomain.NWFILTER, "Failure to execute command '"
                + String.join(" ", command) + "': " + r.out);
        }
    }

    /** Replaces whatever rules the port has by the ones that hold while its IP address is learned. */
    void learning(String portDev, String mac) {
        lay(portDev, EbtablesRules.learning(portDev, mac));
    }

    private void lay(String portDev, List<List<String>> commands) {
        teardown(portDev);
        for (List<String> command : commands) {
            check(portDev, command);
        }
    }

    /** Removes the port's rules; what is not there is no error. */
    void teardown(String portDev) {
        for (List<String> command : EbtablesRules.remove(portDev, natChains())) {
            run(command);
        }
        for (String tool : List.of("iptables", "ip6tables")) {
            if (run(List.of(tool, "-n", "-L", "FI-" + portDev)).status == 0) {
                IptablesRules.remove(tool, portDev).forEach(this::run);
            }
        }
    }

    /** The chains of ebtables' nat table. */
    List<String> natChains() {
        Result r = run(List.of("ebtables", "-t", "nat", "-L"));
        List<String> chains = new ArrayList<>();
        for (String line : r.out.split("\n")) {
            if (line.startsWith("Bridge chain: ")) {
                chains.add(line.substring("Bridge chain: ".length(), line.indexOf(',')));
            }
        }
        return chains;
    }

    /** Whether the port device is there (in the namespace the rules go to). */
    boolean portExists(String portDev) {
        return run(List.of("ip", "link", "show", "dev", portDev)).status() == 0;
    }

    record Result(int status, String out) {
    }

    Result run(List<String> command) {
        List<String> argv = new ArrayList<>();
        if (!netns.isEmpty()) {
            argv.addAll(List.of("ip", "netns", "exec", netns));
        }
        argv.addAll(command);
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return new Result(p.waitFor(), out);
        } catch (IOException e) {
            return new Result(127, "cannot run " + argv.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "interrupted");
        }
    }
}
