package org.jvirtd.driver.lxc.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Networks;
import org.jvirtd.driver.lxc.internal.controller.ControllerConfig;

/**
 * The veth pairs of a container's {@code <interface type='network'|'bridge'>}: the bridge each host end joins
 * (its own for bridge, its network's for network, named by the network driver), the host end's name (the
 * definition's target or the first free vethN, as libvirt picks it), the MAC, and ethN inside.
 */
final class ContainerNetwork {
    private static final Path SYS_NET = Path.of("/sys/class/net");

    private final String netns;
    private volatile Networks networks;

    /** {@code netns}: the network namespace the host ends and bridges live in, "" for the daemon's own. */
    ContainerNetwork(String netns) {
        this.netns = netns;
    }

    String netns() {
        return netns;
    }

    void bind(Networks service) {
        networks = service;
    }

    void unbind(Networks service) {
        if (networks == service) {
            networks = null;
        }
    }

    List<ControllerConfig.Veth> veths(ContainerDef def) {
        List<ControllerConfig.Veth> out = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < def.nics().size(); i++) {
            ContainerDef.Nic nic = def.nics().get(i);
            String bridge = bridgeOf(nic);
            String host = nic.hostName() != null ? nic.hostName() : freeName(taken);
            taken.add(host);
            out.add(new ControllerConfig.Veth(host, bridge, nic.mac() != null ? nic.mac() : randomMac(),
                "eth" + i));
        }
        return out;
    }

    private String bridgeOf(ContainerDef.Nic nic) {
        if ("bridge".equals(nic.type())) {
            return nic.source();
        }
        if (!"network".equals(nic.type())) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.LXC,
                "Unsupported network type " + nic.type());
        }
        Networks service = networks;
        if (service == null) {
            throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.LXC,
                "the network driver is not available for network '" + nic.source() + "'");
        }
        var ref = service.lookupByName(nic.source());
        if (!service.isActive(ref)) {
            throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.NETWORK,
                "network '" + nic.source() + "' is not active");
        }
        return service.bridgeName(ref);
    }

    private String freeName(Set<String> taken) {
        for (int n = 0; ; n++) {
            String name = "veth" + n;
            if (!taken.contains(name) && !linkExists(name) && !linkExists(name + "-p")) {
                return name;
            }
        }
    }

    private boolean linkExists(String name) {
        if (netns.isEmpty()) {
            return Files.exists(SYS_NET.resolve(name));
        }
        try {
            return new ProcessBuilder("ip", "-n", netns, "link", "show", "dev", name).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A MAC in libvirt's 52:54:00 range. */
    private static String randomMac() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("52:54:00:%02x:%02x:%02x", r.nextInt(256), r.nextInt(256), r.nextInt(256));
    }
}
