package org.jvirtd.net.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.VirtException;
import org.jvirtd.api.network.DhcpLease;
import org.jvirtd.api.network.NetworkFlags;
import org.jvirtd.api.network.NetworkRef;
import org.jvirtd.core.config.DaemonConfig;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.net.core.ForwardModes;
import org.jvirtd.net.core.NetworkDriver;
import org.jvirtd.net.dnsmasq.DnsmasqService;
import org.jvirtd.net.firewall.NftablesFirewall;
import org.jvirtd.net.host.IpSubnet;
import org.jvirtd.net.host.NetDevices;
import org.jvirtd.net.isolated.IsolatedMode;
import org.jvirtd.net.nat.NatMode;
import org.jvirtd.net.route.RouteMode;
import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.testing.Prerequisite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The network driver with its real parts (bridges, nftables, dnsmasq) inside a namespace of the test's
 * own, with the tiny guest booted under QEMU on the networks it starts.
 */
class NetworksInNamespaceTest {
    private static final Path SHARED = Path.of(System.getProperty("jvirtd.shared", "../../../shared"));

    private Namespace ns;
    private Path root;
    private DnsmasqService dnsmasq;
    private NetworkDriver driver;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisite.require("root and ip netns", Namespace.available());
        ns = new Namespace();
        root = Files.createDirectories(Path.of("/tmp/jvirtd-net-itest", ns.name));
        for (Path p = root; p.startsWith("/tmp/jvirtd-net-itest"); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        driver = newDriver();
    }

    /** A driver as the daemon builds it, over the test's root folder and namespace (a restart makes another). */
    private NetworkDriver newDriver() {
        DaemonPaths paths = DaemonPaths.resolve(root.toString(), true, Map.of(), "/root");
        ConfFile settings = ConfFile.parse("jvirtd.conf", "network_namespace = \"" + ns.name + "\"\n");
        DaemonConfig config = new DaemonConfig() {
            public ConfFile settings() { return settings; }
            public DaemonPaths paths() { return paths; }
            public boolean listen() { return false; }
            public long graceMillis() { return 2000; }
            public AutoCloseable onReload(Runnable listener) { return () -> { }; }
        };
        dnsmasq = new DnsmasqService();
        NftablesFirewall firewall = new NftablesFirewall();
        ForwardModes modes = new ForwardModes(config.graceMillis());
        modes.bindMode(new NatMode(dnsmasq, firewall));
        modes.bindMode(new RouteMode(dnsmasq, firewall));
        modes.bindMode(new IsolatedMode(dnsmasq, firewall));
        NetworkDriver d = new NetworkDriver(config, modes);
        d.bindDhcpDns(dnsmasq);
        return d;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (ns == null) {
            return;
        }
        for (TinyGuest guest : guests) {
            guest.close();
        }
        for (NetworkRef ref : driver.listAll(NetworkFlags.LIST_ACTIVE)) {
            driver.destroy(ref);
        }
        driver.deactivate();
        ns.close();
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String network(String name, String mode, String bridge, String subnet) {
        return "<network><name>" + name + "</name>" + (mode == null ? "" : "<forward mode='" + mode + "'/>")
            + "<bridge name='" + bridge + "'/><ip address='" + subnet + ".1' netmask='255.255.255.0'><dhcp>"
            + "<range start='" + subnet + ".100' end='" + subnet + ".200'/></dhcp></ip></network>";
    }

    private String dnsmasqPid(String name) throws Exception {
        return Files.readString(root.resolve("run/jvirtd/network/" + name + "/dnsmasq.pid")).strip();
    }

    @Test
    void natNetworkLeasesAnAddressKeepsItOverARestartAndStopsCleanly() throws Exception {
        NetworkRef nat = driver.define(network("jvtnat", "nat", "jvtbr0", "192.168.150"), 0);
        driver.create(nat);
        assertTrue(ns.links().contains("jvtbr0"));
        assertTrue(ns.nftTables().contains("jvirtd_jvtbr0"));
        String pid = dnsmasqPid("jvtnat");
        assertTrue(Files.exists(Path.of("/proc", pid)));

        String ip = bootGuest("jvttap0", "52:54:00:fe:15:01", "jvtbr0");
        assertTrue(IpSubnet.of(new org.jvirtd.model.network.NetworkIp(null, "192.168.150.1", null, 24, null, null, null))
            .contains(ip), ip);
        List<DhcpLease> leases = driver.leases(nat, null, 0);
        assertEquals(List.of("52:54:00:fe:15:01 " + ip), leases.stream().map(l -> l.mac() + " " + l.ipAddress()).toList());
        assertTrue(ns.inside.run("ping", "-c", "1", "-W", "5", ip).ok(), "host pings the guest");

        driver.deactivate();
        driver = newDriver();
        driver.resumeNetworks();
        assertTrue(driver.isActive(nat));
        assertEquals(pid, dnsmasqPid("jvtnat"), "dnsmasq is reattached, not restarted");
        assertEquals(ip, driver.leases(nat, "52:54:00:FE:15:01", 0).get(0).ipAddress());

        driver.update(nat, NetworkFlags.UPDATE_ADD_LAST, NetworkFlags.SECTION_IP_DHCP_HOST, -1,
            "<host mac='52:54:00:fe:15:09' name='fixed' ip='192.168.150.9'/>", NetworkFlags.UPDATE_AFFECT_LIVE
                | NetworkFlags.UPDATE_AFFECT_CONFIG);
        assertEquals("52:54:00:fe:15:09,192.168.150.9,fixed\n", Files.readString(
            root.resolve("var/lib/jvirtd/network/jvtnat/jvtnat.hostsfile"), StandardCharsets.UTF_8));
        assertEquals(pid, dnsmasqPid("jvtnat"), "net-update makes dnsmasq reread its hosts, no restart");
        assertTrue(driver.xml(nat, NetworkFlags.XML_INACTIVE).contains("name='fixed'"));

        driver.destroy(nat);
        assertFalse(ns.links().contains("jvtbr0"));
        assertFalse(ns.nftTables().contains("jvirtd_jvtbr0"));
        assertFalse(Files.exists(Path.of("/proc", pid)));
        assertTrue(driver.isPersistent(nat));
    }

    @Test
    void routedNetworkGivesTheGuestAnAddressTheHostCanPing() throws Exception {
        NetworkRef routed = driver.createXml(network("jvtroute", "route", "jvtbr1", "192.168.151"), 0);
        assertFalse(driver.isPersistent(routed));
        String ip = bootGuest("jvttap1", "52:54:00:fe:15:02", "jvtbr1");
        assertTrue(ip.startsWith("192.168.151."), ip);
        assertEquals(ip, driver.leases(routed, null, 0).get(0).ipAddress());
        assertTrue(ns.inside.run("ping", "-c", "1", "-W", "5", ip).ok(), "host pings the guest");
        assertTrue(ns.inside.check("nft", "list", "table", "inet", "jvirtd_jvtbr1").contains("daddr 192.168.151.0/24 accept"));
        driver.destroy(routed);
        assertEquals(List.of(), driver.listAll(0), "a transient network goes when it stops");
        assertFalse(ns.links().contains("jvtbr1"));
    }

    private final List<TinyGuest> guests = new java.util.ArrayList<>();

    private String bootGuest(String tap, String mac, String bridge) throws Exception {
        Path image = TinyGuest.build(SHARED);
        new NetDevices(ns.name).createTap(tap, null, bridge);
        TinyGuest guest = new TinyGuest(image, ns.name, tap, mac, root);
        guests.add(guest);
        return guest.awaitIp(Duration.ofSeconds(90));
    }

    @Test
    void badInputGetsAClearErrorAndLeavesNothingHalfSetUp() throws Exception {
        NetworkRef first = driver.createXml(network("jvtfirst", null, "jvtbr2", "192.168.152"), 0);
        List<String> links = ns.links();
        String tables = ns.nftTables();

        VirtException overlap = assertThrows(VirtException.class,
            () -> driver.createXml(network("jvtoverlap", "nat", "jvtbr3", "192.168.152"), 0));
        assertEquals("internal error: Network is already in use by interface jvtbr2", overlap.getMessage());

        VirtException sameBridge = assertThrows(VirtException.class,
            () -> driver.define(network("jvtsame", "nat", "jvtbr2", "192.168.153"), 0));
        assertEquals("internal error: bridge name 'jvtbr2' already in use.", sameBridge.getMessage());

        ns.inside.check("ip", "link", "add", "jvtbusy", "type", "bridge");
        NetworkRef busy = driver.define(network("jvtbusy", "nat", "jvtbusy", "192.168.154"), 0);
        VirtException exists = assertThrows(VirtException.class, () -> driver.create(busy));
        assertEquals("error creating bridge interface jvtbusy: File exists", exists.getMessage());
        assertFalse(driver.isActive(busy));
        assertTrue(ns.links().contains("jvtbusy"), "a bridge the network did not create is left alone");
        ns.inside.check("ip", "link", "del", "jvtbusy");

        VirtException range = assertThrows(VirtException.class, () -> driver.define(network("jvtrange", "nat", "jvtbr4",
            "192.168.155").replace("192.168.155.200", "192.168.156.20"), 0));
        assertEquals("internal error: range 192.168.155.100 - 192.168.156.20 is not entirely within network "
            + "192.168.155.1/24", range.getMessage());

        VirtException quote = assertThrows(VirtException.class,
            () -> driver.define(network("jvt'q", "nat", "jvtbr5", "192.168.157"), 0));
        assertEquals("invalid char in name: '", quote.getMessage());
        VirtException slash = assertThrows(VirtException.class,
            () -> driver.define(network("jvt/s", "nat", "jvtbr6", "192.168.158"), 0));
        assertEquals("invalid char in name: /", slash.getMessage());

        assertEquals(links, ns.links());
        assertEquals(tables, ns.nftTables());
        assertEquals(List.of("jvtbusy", "jvtfirst"), driver.listAll(0).stream().map(NetworkRef::name).toList());
        driver.destroy(first);
        assertFalse(Files.exists(root.resolve("etc/jvirtd/networks/jvtrange.xml")));
    }
}
