package org.jvirtd.net.host;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * Host network devices through iproute2: bridges, taps and veth pairs, their addresses, MTU and state.
 * The QEMU and LXC drivers use it for {@code <interface type='network'|'bridge'>}.
 */
public final class NetDevices {
    private final HostCommand host;

    public NetDevices(HostCommand host) {
        this.host = host;
    }

    public NetDevices(String netns) {
        this(new HostCommand(netns));
    }

    public HostCommand host() {
        return host;
    }

    public boolean exists(String device) {
        return host.run("ip", "link", "show", "dev", device).ok();
    }

    /** Creates a bridge; fails the way libvirt does when the name is taken. */
    public void createBridge(String bridge, String mac, Integer mtu, boolean stp, long delay) {
        HostCommand.Result created = host.run("ip", "link", "add", "name", bridge, "type", "bridge",
            "stp_state", stp ? "1" : "0", "forward_delay", Long.toString(delay * 100));
        if (!created.ok()) {
            String reason = created.err().contains("File exists") ? "File exists" : created.err().strip();
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.NETWORK,
                "error creating bridge interface " + bridge + ": " + reason);
        }
        if (mac != null) {
            host.check("ip", "link", "set", "dev", bridge, "address", mac);
        }
        if (mtu != null) {
            host.check("ip", "link", "set", "dev", bridge, "mtu", mtu.toString());
        }
    }

    public void addAddress(String device, IpSubnet address) {
        List<String> argv = new ArrayList<>(List.of("ip", "addr", "add", address.addressWithPrefix()));
        if (!address.isIpv6()) {
            argv.addAll(List.of("broadcast", "+"));
        }
        argv.addAll(List.of("dev", device));
        host.check(argv, null);
    }

    public void up(String device) {
        host.check("ip", "link", "set", "dev", device, "up");
    }

    /** Deletes a device if it exists; true when it was there. */
    public boolean delete(String device) {
        return exists(device) && host.run("ip", "link", "del", "dev", device).ok();
    }

    /** Creates a persistent tap with a MAC, enslaves it to a bridge and brings it up. */
    public void createTap(String tap, String mac, String bridge) {
        host.check("ip", "tuntap", "add", "dev", tap, "mode", "tap");
        try {
            if (mac != null) {
                host.check("ip", "link", "set", "dev", tap, "address", mac);
            }
            attach(tap, bridge);
            up(tap);
        } catch (VirtException e) {
            delete(tap);
            throw e;
        }
    }

    public void attach(String device, String bridge) {
        if (!exists(bridge)) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.NETWORK,
                "Unable to add bridge " + bridge + " port " + device + ": No such device");
        }
        host.check("ip", "link", "set", "dev", device, "master", bridge);
    }

    /** Creates a veth pair whose first end is up and enslaved to a bridge when one is given. */
    public void createVeth(String hostEnd, String peerEnd, String bridge) {
        host.check("ip", "link", "add", "dev", hostEnd, "type", "veth", "peer", "name", peerEnd);
        try {
            if (bridge != null) {
                attach(hostEnd, bridge);
            }
            up(hostEnd);
        } catch (VirtException e) {
            delete(hostEnd);
            throw e;
        }
    }

    /** The devices enslaved to a bridge. */
    public List<String> ports(String bridge) {
        List<String> ports = new ArrayList<>();
        for (String line : host.check("ip", "-o", "link", "show", "master", bridge).split("\n")) {
            String[] fields = line.split(": ");
            if (fields.length > 1) {
                String name = fields[1];
                int at = name.indexOf('@');
                ports.add(at < 0 ? name : name.substring(0, at));
            }
        }
        return ports;
    }

    /** The subnets routed on the host that are not on {@code except}: what a new network must not overlap. */
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (String family : List.of("-4", "-6")) {
            for (String line : host.check("ip", family, "-o", "route", "show").split("\n")) {
                String[] words = line.strip().split("\\s+");
                int dev = List.of(words).indexOf("dev");
                if (words.length < 3 || dev < 0 || words[0].equals("default") || words[0].startsWith("fe80")
                    || words[0].startsWith("multicast") || words[0].startsWith("ff00")) {
                    continue;
                }
                String cidr = words[0].contains("/") ? words[0] : words[0] + (family.equals("-4") ? "/32" : "/128");
                String[] parts = cidr.split("/");
                routes.add(new Route(new IpSubnet(IpSubnet.parse(parts[0]), Integer.parseInt(parts[1])), words[dev + 1]));
            }
        }
        return routes;
    }

    /** A route of the host: a subnet and the device it goes out of. */
    public record Route(IpSubnet subnet, String device) {
    }
}
