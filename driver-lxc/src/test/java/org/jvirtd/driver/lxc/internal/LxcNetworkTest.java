package org.jvirtd.driver.lxc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.network.NetworkFlags;
import org.jvirtd.api.network.NetworkRef;
import org.jvirtd.core.config.DaemonConfig;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.core.internal.CoreHarness;
import org.jvirtd.net.core.ForwardModes;
import org.jvirtd.net.core.NetworkDriver;
import org.jvirtd.net.dnsmasq.DnsmasqService;
import org.jvirtd.net.firewall.NftablesFirewall;
import org.jvirtd.net.nat.NatMode;
import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.testing.Prerequisite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A container on a jvirtd NAT network for real, inside a network namespace of the test's own: the network
 * driver runs the network (bridge, nftables, dnsmasq), the controller plugs a veth pair into its bridge and
 * moves the other end in as eth0; busybox udhcpc in the container gets a lease and pings the host; destroy
 * takes the veth away.
 */
class LxcNetworkTest {
    private static final String MAC = "52:54:00:fe:17:01";
    private static final Pattern LEASE = Pattern.compile("CT-LEASE ip=(\\d+\\.\\d+\\.\\d+\\.\\d+)");
    private static Path rootfs;

    private TestNamespace ns;
    private Path root;
    private NetworkDriver networks;
    private CoreHarness core;
    private Connection conn;

    @BeforeAll
    static void buildRootfs() throws Exception {
        rootfs = BusyboxContainer.build();
    }

    @BeforeEach
    void setUp() throws Exception {
        Prerequisite.require("root and ip netns", TestNamespace.available());
        Prerequisite.requirePrograms("dnsmasq", "nft");
        ns = new TestNamespace();
        // dnsmasq drops to nobody and must read its files below the root
        root = Files.createDirectories(Path.of("/tmp/jvirtd-lxc-net", ns.name));
        for (Path p = root; p.startsWith("/tmp/jvirtd-lxc-net"); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        networks = networkDriver();
        core = new CoreHarness(root);
        LxcDriver driver = new LxcDriver(ns.name);
        driver.bindNetworks(networks);
        core.bind(driver);
        conn = core.open();
    }

    private NetworkDriver networkDriver() {
        DaemonPaths paths = DaemonPaths.resolve(root.toString(), true, Map.of(), "/root");
        ConfFile settings = ConfFile.parse("jvirtd.conf", "network_namespace = \"" + ns.name + "\"\n");
        DaemonConfig config = new DaemonConfig() {
            public ConfFile settings() { return settings; }
            public DaemonPaths paths() { return paths; }
            public boolean listen() { return false; }
            public long graceMillis() { return 2000; }
            public AutoCloseable onReload(Runnable listener) { return () -> { }; }
        };
        DnsmasqService dnsmasq = new DnsmasqService();
        NftablesFirewall firewall = new NftablesFirewall();
        ForwardModes modes = new ForwardModes(config.graceMillis());
        modes.bindMode(new NatMode(dnsmasq, firewall));
        NetworkDriver d = new NetworkDriver(config, modes);
        d.bindDhcpDns(dnsmasq);
        return d;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (ns == null) {
            return;
        }
        try {
            for (DomainRef dom : conn.listAllDomains(0)) {
                if (conn.isActive(dom)) {
                    conn.destroy(dom, 0);
                }
            }
        } finally {
            core.close();
        }
        for (NetworkRef ref : networks.listAll(NetworkFlags.LIST_ACTIVE)) {
            networks.destroy(ref);
        }
        networks.deactivate();
        ns.close();
        try (var files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theContainersVethGetsALeaseFromANatNetworkAndPingsTheHost() throws Exception {
        NetworkRef nat = networks.define("<network><name>jvlnat</name><forward mode='nat'/><bridge name='jvlbr0'/>"
            + "<ip address='192.168.170.1' netmask='255.255.255.0'><dhcp><range start='192.168.170.100'"
            + " end='192.168.170.200'/></dhcp></ip></network>", 0);
        networks.create(nat);
        Path tools = Files.createDirectories(root.resolve("ct-tools"));
        Path script = tools.resolve("udhcpc.script");
        Files.writeString(script, "#!/bin/sh\ncase \"$1\" in bound|renew)\n  ip addr add $ip/$mask dev $interface\n"
            + "  echo \"CT-LEASE ip=$ip\" ;;\nesac\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        String nic = "    <interface type='network'><mac address='" + MAC + "'/><source network='jvlnat'/></interface>\n"
            + "    <filesystem type='mount'><source dir='" + tools + "'/><target dir='/opt/tools'/><readonly/>"
            + "</filesystem>\n";
        DomainRef dom = conn.define(BusyboxContainer.domainXml("jl-net", rootfs, 64, "/bin/sh", nic), 0);
        conn.create(dom, 0);

        String live = conn.xml(dom, 0);
        assertTrue(live.contains("<target dev='veth0'/>"), live);
        assertTrue(ns.link("veth0").contains("master jvlbr0"), ns.link("veth0"));
        Path pty = Path.of(live.replaceAll("(?s).*<source path='([^']+)'/>.*", "$1"));
        try (BusyboxContainer.Console console = new BusyboxContainer.Console(pty)) {
            console.type("ip -o link show eth0");
            console.await(Duration.ofSeconds(30), "eth0 with the definition's MAC",
                text -> text.contains("link/ether " + MAC));
            console.type("udhcpc -i eth0 -n -q -t 10 -s /opt/tools/udhcpc.script");
            console.await(Duration.ofSeconds(60), "a lease", text -> LEASE.matcher(text).find());
            Matcher m = LEASE.matcher(console.text());
            assertTrue(m.find());
            String ip = m.group(1);
            assertTrue(ip.startsWith("192.168.170."), ip);
            assertEquals(List.of(MAC + " " + ip), networks.leases(nat, null, 0).stream()
                .map(l -> l.mac() + " " + l.ipAddress()).toList());
            console.type("ping -c 1 -W 5 192.168.170.1 && echo PING-OK");
            console.await(Duration.ofSeconds(30), "PING-OK");
            assertTrue(ns.inside.run("ping", "-c", "1", "-W", "5", ip).ok(), "the host pings " + ip);
            console.type("touch /opt/tools/x 2>/dev/null || echo READ-ONLY-MOUNT");
            console.await(Duration.ofSeconds(20), "READ-ONLY-MOUNT");
        }
        conn.destroy(dom, 0);
        assertFalse(ns.links().contains("veth0"), "the veth is gone: " + ns.links());
    }
}
