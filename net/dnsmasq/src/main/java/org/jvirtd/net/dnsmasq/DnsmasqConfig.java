package org.jvirtd.net.dnsmasq;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.network.Dns;
import org.jvirtd.model.network.ForwardMode;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.model.network.NetworkIp;
import org.jvirtd.net.host.IpSubnet;

/**
 * Writes a network's dnsmasq configuration, DHCP hosts file and DNS hosts file the way libvirt writes
 * them: a pure function of the definition and the file locations.
 */
public final class DnsmasqConfig {
    private DnsmasqConfig() {
    }

    /**
     * Where the files go: the directory of the hosts files, and the pid file named in the config (null
     * when dnsmasq is told on its command line instead).
     */
    public record Files(Path stateDir, Path pidFile) {
    }

    /** The generated texts; {@code hostsfile} is empty when the network has no DHCP host entries. */
    public record Output(String conf, String hostsfile, String addnhosts) {
    }

    public static Path hostsfile(Path stateDir, String network) {
        return stateDir.resolve(escape(network) + ".hostsfile");
    }

    public static Path addnhosts(Path stateDir, String network) {
        return stateDir.resolve(escape(network) + ".addnhosts");
    }

    public static Output write(NetworkDef def, Files files) {
        StringBuilder c = new StringBuilder();
        Dns dns = def.dns() == null ? new Dns(null, null, List.of(), List.of(), List.of(), List.of()) : def.dns();
        boolean wantDns = !Boolean.FALSE.equals(dns.enable());
        c.append("##WARNING:  THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n")
            .append("##OVERWRITTEN AND LOST.  Changes to this configuration should be made using:\n")
            .append("##    virsh net-edit ").append(def.name()).append('\n')
            .append("## or other application using the libvirt API.\n")
            .append("##\n## dnsmasq conf file created by libvirt\n")
            .append("strict-order\n");
        if (!wantDns) {
            c.append("port=0\n");
        }
        if (wantDns) {
            forwarders(c, dns);
        }
        if (def.domain() != null && def.domain().name() != null) {
            if (Boolean.TRUE.equals(def.domain().localOnly())) {
                c.append("local=/").append(def.domain().name()).append("/\n");
            }
            c.append("domain=").append(def.domain().name()).append("\nexpand-hosts\n");
        }
        if (wantDns) {
            localPtrs(c, def);
            if (Boolean.FALSE.equals(dns.forwardPlainNames())) {
                c.append("domain-needed\nlocal=//\n");
            }
        }
        if (files.pidFile() != null) {
            c.append("pid-file=").append(files.pidFile()).append('\n');
        }
        c.append("except-interface=lo\nbind-dynamic\ninterface=").append(bridge(def)).append('\n');
        if (def.forwardMode() == ForwardMode.NONE) {
            c.append("dhcp-option=3\nno-resolv\nra-param=*,0,0\n");
        }
        if (wantDns) {
            records(c, dns);
        }
        NetworkIp v4 = null;
        NetworkIp v6 = null;
        boolean tftp = false;
        for (NetworkIp ip : def.ips()) {
            boolean dhcp = ip.dhcp() != null && !(ip.dhcp().ranges().isEmpty() && ip.dhcp().hosts().isEmpty());
            if (!ip.isIpv6()) {
                if (dhcp) {
                    v4 = only(v4, ip, "IPv4");
                }
                if (ip.tftpRoot() != null) {
                    c.append(tftp ? "" : "enable-tftp\n").append("tftp-root=").append(ip.tftpRoot()).append('\n');
                    tftp = true;
                }
            } else if (dhcp) {
                v6 = only(v6, ip, "IPv6");
            }
        }
        StringBuilder hosts = new StringBuilder();
        long leases = dhcp(c, hosts, v4) + dhcp(c, hosts, v6);
        if (leases > 0) {
            c.append("dhcp-lease-max=").append(leases).append('\n');
        }
        if (v4 != null || v6 != null) {
            c.append("dhcp-hostsfile=").append(hostsfile(files.stateDir(), def.name())).append('\n');
        }
        if (wantDns) {
            c.append("addn-hosts=").append(addnhosts(files.stateDir(), def.name())).append('\n');
        }
        if (def.mtu() != null && def.mtu() > 0) {
            c.append("dhcp-option=option:mtu,").append(def.mtu()).append('\n');
        }
        if (v6 != null) {
            c.append("enable-ra\n");
        } else {
            def.ips().stream().filter(NetworkIp::isIpv6)
                .forEach(ip -> c.append("dhcp-range=").append(ip.address()).append(",ra-only\n"));
        }
        def.dnsmasqOptions().forEach(o -> c.append(o).append('\n'));
        return new Output(c.toString(), hosts.toString(), addnHosts(dns));
    }

    private static String bridge(NetworkDef def) {
        return def.bridge() == null ? null : def.bridge().name();
    }

    private static NetworkIp only(NetworkIp found, NetworkIp ip, String family) {
        if (found != null) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.NETWORK,
                "For " + family + ", multiple DHCP definitions cannot be specified.");
        }
        return ip;
    }

    private static void forwarders(StringBuilder c, Dns dns) {
        boolean noResolv = false;
        for (Dns.Forwarder f : dns.forwarders()) {
            c.append("server=");
            if (f.domain() != null) {
                c.append('/').append(f.domain()).append('/');
            }
            if (f.addr() != null) {
                c.append(f.addr()).append('\n');
                noResolv |= f.domain() == null;
            } else {
                c.append("#\n");
            }
        }
        if (noResolv) {
            c.append("no-resolv\n");
        }
    }

    private static void localPtrs(StringBuilder c, NetworkDef def) {
        for (NetworkIp ip : def.ips()) {
            if (!Boolean.TRUE.equals(ip.localPtr())) {
                continue;
            }
            IpSubnet subnet = IpSubnet.of(ip);
            String zone = subnet.ptrDomain();
            if (zone == null) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.NETWORK, "PTR domain for "
                    + (subnet.isIpv6() ? "IPv6" : "IPv4") + " network with prefix " + subnet.prefix()
                    + " cannot be automatically created");
            }
            c.append("local=/").append(zone).append("/\n");
        }
    }

    private static void records(StringBuilder c, Dns dns) {
        for (Dns.Txt txt : dns.txts()) {
            c.append("txt-record=").append(txt.name()).append(',').append(txt.value()).append('\n');
        }
        for (Dns.Srv srv : dns.srvs()) {
            c.append("srv-host=_").append(srv.service()).append("._").append(srv.protocol());
            if (srv.domain() != null) {
                c.append('.').append(srv.domain());
            }
            if (srv.target() != null && !srv.target().equals(".")) {
                c.append(',').append(srv.target());
                if (srv.port() != 0 || srv.priority() != 0 || srv.weight() != 0) {
                    c.append(',').append(srv.port() != 0 ? srv.port() : 1);
                }
                if (srv.priority() != 0 || srv.weight() != 0) {
                    c.append(',').append(srv.priority());
                }
                if (srv.weight() != 0) {
                    c.append(',').append(srv.weight());
                }
            }
            c.append('\n');
        }
    }

    /** Writes one family's DHCP lines and host entries; returns how many addresses its ranges hold. */
    private static long dhcp(StringBuilder c, StringBuilder hosts, NetworkIp ip) {
        if (ip == null) {
            return 0;
        }
        IpSubnet subnet = IpSubnet.of(ip);
        long leases = 0;
        for (NetworkIp.Range r : ip.dhcp().ranges()) {
            c.append("dhcp-range=").append(r.start()).append(',').append(r.end()).append(',')
                .append(ip.isIpv6() ? Integer.toString(subnet.prefix()) : subnet.netmask());
            if (r.lease() != null) {
                c.append(',').append(lease(r.lease()));
            }
            c.append('\n');
            leases += IpSubnet.rangeSize(r.start(), r.end());
        }
        if (ip.dhcp().ranges().isEmpty() && !ip.dhcp().hosts().isEmpty()) {
            c.append("dhcp-range=").append(ip.address()).append(",static");
            if (ip.isIpv6()) {
                c.append(',').append(subnet.prefix());
            }
            c.append('\n');
        }
        for (NetworkIp.Host h : ip.dhcp().hosts()) {
            if (h.ip() != null) {
                hosts.append(hostLine(h, ip.isIpv6())).append('\n');
            }
        }
        if (!ip.isIpv6()) {
            c.append("dhcp-no-override\ndhcp-authoritative\n");
            if (ip.dhcp().bootFile() != null) {
                c.append("dhcp-boot=").append(ip.dhcp().bootFile());
                if (ip.dhcp().bootServer() != null) {
                    c.append(",,").append(ip.dhcp().bootServer());
                }
                c.append('\n');
            }
        }
        return leases;
    }

    /** One line of dnsmasq's dhcp-hostsfile for a static host. */
    public static String hostLine(NetworkIp.Host h, boolean ipv6) {
        StringBuilder line = new StringBuilder();
        if (ipv6) {
            if (h.id() != null) {
                line.append("id:").append(h.id()).append(',');
            }
            if (h.name() != null) {
                line.append(h.name()).append(',');
            }
            line.append('[').append(h.ip()).append(']');
        } else if (h.mac() != null) {
            line.append(h.mac()).append(',').append(h.ip());
            if (h.name() != null) {
                line.append(',').append(h.name());
            }
        } else {
            line.append(h.name()).append(',').append(h.ip());
        }
        if (h.lease() != null) {
            line.append(',').append(lease(h.lease()));
        }
        return line.toString();
    }

    private static String lease(NetworkIp.Lease lease) {
        if (lease.expiry() == 0) {
            return "infinite";
        }
        return lease.expiry() + String.valueOf(Objects.requireNonNullElse(lease.unit(), "minutes").charAt(0));
    }

    /** The DNS {@code <host>} records as an addn-hosts file: "ip name..." per line. */
    private static String addnHosts(Dns dns) {
        StringBuilder out = new StringBuilder();
        for (Dns.Host host : dns.hosts()) {
            if (host.ip() != null) {
                host.hostnames().forEach(name -> out.append(host.ip()).append('\t').append(name).append('\n'));
            }
        }
        return out.toString();
    }

    /** The name as libvirt escapes it in file paths: XML entities for quotes, ampersand and brackets. */
    static String escape(String name) {
        StringBuilder out = new StringBuilder();
        for (char ch : name.toCharArray()) {
            switch (ch) {
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\n' -> out.append("&#10;");
                case '\r' -> out.append("&#13;");
                case '\t' -> out.append("&#9;");
                default -> {
                    if (ch >= 0x20) {
                        out.append(ch);
                    }
                }
            }
        }
        return out.toString();
    }
}
