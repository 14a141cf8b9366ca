package org.jvirtd.net.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jvirtd.api.network.NetworkFlags;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.model.network.NetworkIp;
import org.jvirtd.model.network.NetworkXml;
import org.jvirtd.net.host.IpSubnet;

/**
 * net-update of the ip-dhcp-host section: adds, replaces or deletes one {@code <host>} of an {@code <ip>}'s
 * DHCP service, giving the changed definition. The host element is parsed and checked by the model.
 */
final class DhcpHostUpdate {
    private DhcpHostUpdate() {
    }

    static NetworkDef apply(NetworkDef def, int command, int parentIndex, String xml) {
        int index = ipIndex(def, parentIndex);
        NetworkIp ip = def.ips().get(index);
        NetworkIp.Host host = parseHost(def, ip, xml);
        NetworkIp.Dhcp dhcp = ip.dhcp() == null ? new NetworkIp.Dhcp(List.of(), List.of(), null, null) : ip.dhcp();
        List<NetworkIp.Host> hosts = new ArrayList<>(dhcp.hosts());
        switch (command) {
            case NetworkFlags.UPDATE_ADD_FIRST, NetworkFlags.UPDATE_ADD_LAST -> {
                if (hosts.stream().anyMatch(h -> clashes(h, host))) {
                    throw NetworkErrors.invalid("there is an existing dhcp host entry in network '" + def.name()
                        + "' that matches \"" + xml.strip() + "\"");
                }
                hosts.add(command == NetworkFlags.UPDATE_ADD_FIRST ? 0 : hosts.size(), host);
            }
            case NetworkFlags.UPDATE_DELETE -> {
                if (!hosts.removeIf(h -> Objects.equals(h.mac(), host.mac()) && Objects.equals(h.id(), host.id())
                    && Objects.equals(h.name(), host.name()) && Objects.equals(h.ip(), host.ip()))) {
                    throw NetworkErrors.invalid("couldn't locate a matching dhcp host entry in network '"
                        + def.name() + "'");
                }
            }
            case NetworkFlags.UPDATE_MODIFY -> {
                int at = -1;
                for (int i = 0; i < hosts.size(); i++) {
                    NetworkIp.Host h = hosts.get(i);
                    if (host.mac() != null ? host.mac().equals(h.mac()) : Objects.equals(host.name(), h.name())) {
                        at = i;
                    }
                }
                if (at < 0) {
                    throw NetworkErrors.invalid("couldn't locate an existing dhcp host entry with \"mac='"
                        + host.mac() + "'\" in network '" + def.name() + "'");
                }
                hosts.set(at, host);
            }
            default -> throw NetworkErrors.unsupported("unrecognized network update command code " + command);
        }
        List<NetworkIp> ips = new ArrayList<>(def.ips());
        ips.set(index, new NetworkIp(ip.family(), ip.address(), ip.netmask(), ip.prefix(), ip.localPtr(), ip.tftpRoot(),
            new NetworkIp.Dhcp(dhcp.ranges(), hosts, dhcp.bootFile(), dhcp.bootServer())));
        return NetworkDefs.withIps(def, ips);
    }

    /** The {@code <ip>} the update is for: the given index, or the first IPv4 one. */
    private static int ipIndex(NetworkDef def, int parentIndex) {
        if (parentIndex >= 0) {
            if (parentIndex >= def.ips().size()) {
                throw NetworkErrors.invalid("couldn't update dhcp host entry - no <ip> element found at index "
                    + parentIndex + " in network '" + def.name() + "'");
            }
            return parentIndex;
        }
        for (int i = 0; i < def.ips().size(); i++) {
            if (!def.ips().get(i).isIpv6()) {
                return i;
            }
        }
        throw NetworkErrors.invalid("couldn't update dhcp host entry - no <ip family='ipv4'> element found in network '"
            + def.name() + "'");
    }

    private static NetworkIp.Host parseHost(NetworkDef def, NetworkIp ip, String xml) {
        String trimmed = xml.strip();
        if (!trimmed.startsWith("<host") || !(trimmed.length() == 5 || " \t\n/>".indexOf(trimmed.charAt(5)) >= 0)) {
            throw NetworkErrors.invalid("can't update 'ip-dhcp-host' section of network '" + def.name()
                + "': unexpected element, expecting <host>");
        }
        IpSubnet subnet = IpSubnet.of(ip);
        String wrapper = "<network><name>update</name><ip" + (ip.isIpv6() ? " family='ipv6'" : "") + " address='"
            + ip.address() + "' prefix='" + subnet.prefix() + "'><dhcp>" + trimmed + "</dhcp></ip></network>";
        NetworkIp.Host host = NetworkXml.parse(wrapper).ips().get(0).dhcp().hosts().get(0);
        if (!subnet.contains(host.ip())) {
            throw NetworkErrors.unsupported("host address " + host.ip() + " is not within network "
                + subnet.cidr() + " of network '" + def.name() + "'");
        }
        return host;
    }

    private static boolean clashes(NetworkIp.Host a, NetworkIp.Host b) {
        return (a.mac() != null && a.mac().equals(b.mac())) || (a.id() != null && a.id().equals(b.id()))
            || (a.name() != null && a.name().equals(b.name())) || Objects.equals(a.ip(), b.ip());
    }
}
