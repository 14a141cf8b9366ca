package org.jvirtd.net.dnsmasq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.network.DhcpDns;
import org.jvirtd.api.network.DhcpLease;
import org.jvirtd.api.network.NetworkHandle;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.model.network.NetworkXml;
import org.jvirtd.net.host.HostCommand;
import org.osgi.service.component.annotations.Component;

/**
 * The DHCP/DNS service of virtual networks: one dnsmasq per network that needs one, bound to the
 * network's bridge only, running as an unprivileged user, left running when this bundle or the daemon goes.
 */
@Component
public final class DnsmasqService implements DhcpDns {
    static final String PID = "dnsmasq.pid";

    private static DnsmasqProcess process(NetworkHandle network) {
        return new DnsmasqProcess(NetworkXml.parse(network.xml()), network.stateDir(), network.runDir(),
            new HostCommand(network.netns()));
    }

    /** libvirt's rule: a network without addresses, or with neither DHCP nor DNS, runs no dnsmasq. */
    static boolean needed(NetworkDef def) {
        boolean dhcp = def.ips().stream().anyMatch(ip -> ip.dhcp() != null
            && !(ip.dhcp().ranges().isEmpty() && ip.dhcp().hosts().isEmpty()));
        boolean dns = def.dns() == null || !Boolean.FALSE.equals(def.dns().enable());
        return !def.ips().isEmpty() && (dhcp || dns);
    }

    @Override
    public void start(NetworkHandle network) {
        NetworkDef def = NetworkXml.parse(network.xml());
        if (!needed(def)) {
            return;
        }
        long pid = process(network).start(unprivilegedUser());
        network.putRuntime(Map.of(PID, Long.toString(pid)));
    }

    @Override
    public void stop(NetworkHandle network) {
        process(network).stop();
    }

    @Override
    public boolean reattach(NetworkHandle network) {
        if (!needed(NetworkXml.parse(network.xml()))) {
            return true;
        }
        return process(network).pid().map(pid -> {
            network.putRuntime(Map.of(PID, Long.toString(pid)));
            return true;
        }).orElse(false);
    }

    @Override
    public void reloadHosts(NetworkHandle network) {
        DnsmasqProcess process = process(network);
        var pid = process.pid();
        if (pid.isPresent()) {
            process.reloadHosts(pid.get());
        } else {
            start(network);
        }
    }

    @Override
    public List<DhcpLease> leases(NetworkHandle network) {
        NetworkDef def = NetworkXml.parse(network.xml());
        Path file = process(network).leases();
        try {
            return Files.exists(file) ? LeaseFile.parse(Files.readString(file, StandardCharsets.UTF_8), def) : List.of();
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.NETWORK, "Unable to read " + file + ": " + e.getMessage(), e);
        }
    }

    /** dnsmasq's own account where the system has one (Debian's dnsmasq-base creates it), else nobody. */
    private static String unprivilegedUser() {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith("dnsmasq:"))
                ? "dnsmasq" : "nobody";
        } catch (IOException e) {
            return "nobody";
        }
    }
}
