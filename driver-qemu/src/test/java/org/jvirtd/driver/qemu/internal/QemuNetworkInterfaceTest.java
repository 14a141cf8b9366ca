package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainInterface;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.domain.DomainStats;
import org.jvirtd.api.domain.InterfaceStats;
import org.jvirtd.api.domain.StateReason;
import org.jvirtd.api.network.NetworkFlags;
import org.jvirtd.api.network.NetworkRef;
import org.jvirtd.core.config.DaemonConfig;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.core.internal.CoreHarness;
import org.jvirtd.driver.qemu.internal.caps.QemuCapsCache;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.driver.qemu.internal.net.HostNetwork;
import org.jvirtd.driver.qemu.internal.net.TestNamespace;
import org.jvirtd.net.core.ForwardModes;
import org.jvirtd.net.core.NetworkDriver;
import org.jvirtd.net.dnsmasq.DnsmasqService;
import org.jvirtd.net.firewall.NftablesFirewall;
import org.jvirtd.net.nat.NatMode;
import org.jvirtd.net.route.RouteMode;
import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.testing.Prerequisite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tiny guest on virtual networks for real, inside a namespace of the test's own: the network driver
 * runs a NAT and a routed network (bridges, nftables, dnsmasq), the QEMU driver plugs the guest's TAPs
 * into their bridges and runs QEMU in the namespace, and takes the TAPs away when the guest is gone.
 */
class QemuNetworkInterfaceTest {
    private static final Pattern LEASE = Pattern.compile("GUEST-LEASE iface=(eth\\d) ip=(\\d+\\.\\d+\\.\\d+\\.\\d+)/");
    private static final String NAT_MAC = "52:54:00:fe:16:01";
    private static final String ROUTE_MAC = "52:54:00:fe:16:02";
    private static final String HOTPLUG_MAC = "52:54:00:fe:16:03";
    private static Path guest;

    private TestNamespace ns;
    private Path root;
    private NetworkDriver networks;
    private CoreHarness core;
    private QemuDriver driver;
    private Connection conn;

    @BeforeAll
    static void buildGuest() throws Exception {
        guest = TinyGuest.build();
    }

    @BeforeEach
    void setUp() throws Exception {
        Prerequisite.require("root and ip netns", TestNamespace.available());
        ns = new TestNamespace();
        // dnsmasq drops to nobody and must read its files below the root
        root = Files.createDirectories(Path.of("/tmp/jvirtd-qemu-net", ns.name));
        for (Path p = root; p.startsWith("/tmp/jvirtd-qemu-net"); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        networks = networkDriver();
        core = new CoreHarness(root);
        driver = qemuDriver();
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
        modes.bindMode(new RouteMode(dnsmasq, firewall));
        NetworkDriver d = new NetworkDriver(config, modes);
        d.bindDhcpDns(dnsmasq);
        return d;
    }

    private QemuDriver qemuDriver() {
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/tmp"), System.getenv(), List.of());
        QemuDriver d = new QemuDriver(conf, new QemuCapsCache(Path.of("target/caps-cache").toAbsolutePath()),
            new HostNetwork(ns.name));
        d.bindNetworks(networks);
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

    private NetworkRef startNetwork(String name, String mode, String bridge, String subnet) {
        NetworkRef ref = networks.define("<network><name>" + name + "</name><forward mode='" + mode + "'/><bridge name='"
            + bridge + "'/><ip address='" + subnet + ".1' netmask='255.255.255.0'><dhcp><range start='" + subnet
            + ".100' end='" + subnet + ".200'/></dhcp></ip></network>", 0);
        networks.create(ref);
        return ref;
    }

    private static String nic(String type, String source, String mac) {
        return "    <interface type='" + type + "'><mac address='" + mac + "'/><source " + type + "='" + source
            + "'/><model type='virtio'/></interface>\n";
    }

    /** The fixture guest with DHCP on, its console in the test's root, and these interfaces. */
    private String guestXml(String name, String... nics) {
        return TinyGuest.domainXml(name, guest, root.resolve(name + ".log")).replace(" fixture.net=off", "")
            .replace("    <memballoon", String.join("", nics) + "    <memballoon");
    }

    private Map<String, String> awaitLeases(String name, int count) throws Exception {
        Path console = root.resolve(name + ".log");
        Map<String, String> leases = new java.util.TreeMap<>();
        TinyGuest.await(Duration.ofSeconds(180), count + " DHCP leases on " + console, () -> {
            try {
                Matcher m = LEASE.matcher(Files.readString(console, StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    leases.put(m.group(1), m.group(2));
                }
            } catch (java.io.IOException e) {
                return false;
            }
            return leases.size() >= count;
        });
        return leases;
    }

    @Test
    void natAndRoutedNetworksLeaseAddressesAlsoToAHotpluggedNicAndTheirTapsGoWithThem() throws Exception {
        NetworkRef nat = startNetwork("jvqnat", "nat", "jvqbr0", "192.168.160");
        NetworkRef routed = startNetwork("jvqroute", "route", "jvqbr1", "192.168.161");
        DomainRef dom = conn.define(guestXml("jvq-net", nic("network", "jvqnat", NAT_MAC),
            nic("network", "jvqroute", ROUTE_MAC)), 0);
        conn.create(dom, 0);

        String live = conn.xml(dom, 0);
        assertTrue(live.contains("<target dev='vnet0'/>") && live.contains("<target dev='vnet1'/>"), live);
        assertTrue(live.contains("bridge='jvqbr0'"), "live XML names the network's bridge: " + live);
        assertTrue(ns.link("vnet0").contains("master jvqbr0"), ns.link("vnet0"));
        assertTrue(ns.link("vnet0").contains("link/ether fe:54:00:fe:16:01"), "host side MAC: " + ns.link("vnet0"));
        assertTrue(ns.link("vnet1").contains("master jvqbr1"), ns.link("vnet1"));

        Map<String, String> leases = awaitLeases("jvq-net", 2);
        assertTrue(leases.get("eth0").startsWith("192.168.160."), leases.toString());
        assertTrue(leases.get("eth1").startsWith("192.168.161."), leases.toString());
        assertEquals(List.of(NAT_MAC + " " + leases.get("eth0")), networks.leases(nat, null, 0).stream()
            .map(l -> l.mac() + " " + l.ipAddress()).toList());
        assertEquals(List.of(ROUTE_MAC + " " + leases.get("eth1")), networks.leases(routed, null, 0).stream()
            .map(l -> l.mac() + " " + l.ipAddress()).toList());
        for (String ip : leases.values()) {
            assertTrue(ns.inside.run("ping", "-c", "1", "-W", "5", ip).ok(), "the host pings " + ip);
        }
        assertGuestSeesWhatTheTapSent(dom);
        assertAddressesFromLeasesAndArp(dom, leases);

        String hotplugged = nic("network", "jvqnat", HOTPLUG_MAC);
        conn.attachDevice(dom, hotplugged, 0);
        assertTrue(conn.xml(dom, 0).contains("<target dev='vnet2'/>"), conn.xml(dom, 0));
        assertTrue(ns.link("vnet2").contains("master jvqbr0"), ns.link("vnet2"));
        String eth2 = awaitLeases("jvq-net", 3).get("eth2");
        assertTrue(eth2.startsWith("192.168.160."), eth2);
        assertTrue(ns.inside.run("ping", "-c", "1", "-W", "5", eth2).ok(), "the host pings the hot-plugged NIC");
        conn.detachDevice(dom, hotplugged, 0);
        assertFalse(ns.links().contains("vnet2"), "detach removes the tap: " + ns.links());

        conn.destroy(dom, 0);
        assertFalse(ns.links().contains("vnet0") || ns.links().contains("vnet1"), "taps left: " + ns.links());
    }

    /**
     * Interface statistics are the guest's view: what the host's TAP sent the guest received, read between
     * two readings of the TAP's own counters; by MAC and by device name alike; and the same in domain stats.
     */
    private void assertGuestSeesWhatTheTapSent(DomainRef dom) {
        long before = tapCounter("vnet0", "tx_bytes");
        InterfaceStats byName = conn.interfaceStats(dom, "vnet0");
        long after = tapCounter("vnet0", "tx_bytes");
        assertTrue(before <= byName.rxBytes() && byName.rxBytes() <= after,
            before + " <= " + byName.rxBytes() + " <= " + after);
        assertTrue(byName.rxPackets() > 0 && byName.txPackets() > 0, byName.toString());
        assertTrue(conn.interfaceStats(dom, NAT_MAC).rxBytes() >= byName.rxBytes());
        VirtException unknown = assertThrows(VirtException.class, () -> conn.interfaceStats(dom, "vnet9"));
        assertEquals("invalid argument: 'vnet9' is not a known interface", unknown.getMessage());

        List<DomainStats> stats = conn.allDomainStats(List.of(dom), DomainStats.INTERFACE | DomainStats.STATE, 0);
        Map<String, Object> values = new java.util.HashMap<>();
        stats.get(0).params().forEach(p -> values.put(p.field(), p.value()));
        assertEquals(2, values.get("net.count"), values.toString());
        assertEquals("vnet0", values.get("net.0.name"));
        assertEquals("vnet1", values.get("net.1.name"));
        assertTrue((Long) values.get("net.0.rx.bytes") >= byName.rxBytes(), values.toString());
        assertEquals(DomainState.RUNNING.number(), values.get("state.state"));
    }

    /** domifaddr's sources: the networks' leases name both interfaces, the namespace's ARP table the pinged ones. */
    private void assertAddressesFromLeasesAndArp(DomainRef dom, Map<String, String> leases) {
        List<DomainInterface> fromLeases = conn.interfaceAddresses(dom, DomainInterface.SOURCE_LEASE, 0);
        assertEquals(List.of("vnet0 " + NAT_MAC + " [0 " + leases.get("eth0") + "/24]",
            "vnet1 " + ROUTE_MAC + " [0 " + leases.get("eth1") + "/24]"), fromLeases.stream().map(i -> i.name() + " "
                + i.hwaddr() + " " + i.addresses().stream().map(a -> a.type() + " " + a.address() + "/" + a.prefix())
                .toList()).toList());
        List<DomainInterface> fromArp = conn.interfaceAddresses(dom, DomainInterface.SOURCE_ARP, 0);
        assertTrue(fromArp.stream().anyMatch(i -> "vnet0".equals(i.name())
            && i.addresses().stream().anyMatch(a -> a.address().equals(leases.get("eth0")))), fromArp.toString());
        VirtException agent = assertThrows(VirtException.class,
            () -> conn.interfaceAddresses(dom, DomainInterface.SOURCE_AGENT, 0));
        assertEquals("argument unsupported: QEMU guest agent is not configured", agent.getMessage());
    }

    private long tapCounter(String tap, String counter) {
        return Long.parseLong(ns.inside.check("cat", "/sys/class/net/" + tap + "/statistics/" + counter).trim());
    }

    /** domiftune as libvirt does it: the TAP shaped with tc at start and again live (inbound: htb at 8 kbit/KiB). */
    @Test
    void theBandwidthOfAnInterfaceShapesItsTapAtStartAndLive() throws Exception {
        startNetwork("jvqnat", "nat", "jvqbr0", "192.168.160");
        DomainRef dom = conn.define(guestXml("jvq-shaped", nic("bridge", "jvqbr0", NAT_MAC)
            .replace("</interface>", "<bandwidth><inbound average='100'/></bandwidth></interface>")), 0);
        conn.create(dom, 0);
        String classes = ns.inside.check("tc", "class", "show", "dev", "vnet0");
        assertTrue(classes.contains("rate 800Kbit"), "the defined 100 KiB/s at start: " + classes);
        conn.setInterfaceParameters(dom, "vnet0",
            List.of(org.jvirtd.api.TypedParameter.ofUint("inbound.average", 200)),
            org.jvirtd.api.domain.DomainFlags.AFFECT_LIVE);
        classes = ns.inside.check("tc", "class", "show", "dev", "vnet0");
        assertTrue(classes.contains("rate 1600Kbit"), "200 KiB/s live: " + classes);
        assertEquals(200, conn.interfaceParameters(dom, "vnet0", org.jvirtd.api.domain.DomainFlags.AFFECT_LIVE)
            .get(0).value());
        assertEquals(100, conn.interfaceParameters(dom, NAT_MAC, org.jvirtd.api.domain.DomainFlags.AFFECT_CONFIG)
            .get(0).value(), "a live change leaves the config alone");
        conn.setInterfaceParameters(dom, "vnet0",
            List.of(org.jvirtd.api.TypedParameter.ofUint("inbound.average", 0)),
            org.jvirtd.api.domain.DomainFlags.AFFECT_LIVE);
        String qdiscs = ns.inside.check("tc", "qdisc", "show", "dev", "vnet0");
        assertFalse(qdiscs.contains("htb"), "an inbound of 0 lifts the limit: " + qdiscs);
    }

    @Test
    void aCrashedGuestAndOneGoneDuringADaemonRestartLeaveNoTaps() throws Exception {
        startNetwork("jvqnat", "nat", "jvqbr0", "192.168.160");
        DomainRef crashing = conn.define(guestXml("jvq-crash", nic("bridge", "jvqbr0", NAT_MAC)), 0);
        conn.create(crashing, 0);
        assertTrue(ns.link("vnet0").contains("master jvqbr0"), "type='bridge' joins the named bridge");
        ProcessHandle.of(pidOf("jvq-crash")).orElseThrow().destroyForcibly();
        TinyGuest.await(Duration.ofSeconds(10), "crash noticed", () -> conn.status(crashing).state() == DomainState.SHUTOFF);
        assertEquals(StateReason.SHUTOFF_CRASHED, conn.status(crashing).reason());
        assertFalse(ns.links().contains("vnet0"), "the crashed guest's tap is gone");

        DomainRef orphan = conn.define(guestXml("jvq-orphan", nic("network", "jvqnat", ROUTE_MAC)), 0);
        conn.create(orphan, 0);
        assertTrue(ns.links().contains("vnet0"));
        driver.deactivate();
        ProcessHandle qemu = ProcessHandle.of(pidOf("jvq-orphan")).orElseThrow();
        qemu.destroyForcibly();
        qemu.onExit().get();

        core = core.restart();
        driver = qemuDriver();
        core.bind(driver);
        conn = core.open();
        assertEquals(DomainState.SHUTOFF, conn.status(conn.lookupByName("jvq-orphan")).state());
        assertFalse(ns.links().contains("vnet0"), "reattach removes the tap of a guest that is gone");
    }

    @Test
    void anInactiveNetworkRefusesTheStartAndLeavesNoTap() throws Exception {
        NetworkRef nat = startNetwork("jvqnat", "nat", "jvqbr0", "192.168.160");
        networks.define("<network><name>jvqdown</name><bridge name='jvqbr9'/></network>", 0);
        DomainRef dom = conn.define(guestXml("jvq-down", nic("network", "jvqnat", NAT_MAC),
            nic("network", "jvqdown", ROUTE_MAC)), 0);
        VirtException e = assertThrows(VirtException.class, () -> conn.create(dom, 0));
        assertEquals("Requested operation is not valid: network 'jvqdown' is not active", e.getMessage());
        assertFalse(ns.links().contains("vnet0"), "the tap of the first interface is taken back: " + ns.links());
        assertTrue(networks.isActive(nat));
    }

    private long pidOf(String name) throws Exception {
        String status = Files.readString(root.resolve("run/jvirtd/qemu/" + name + ".xml"));
        Matcher m = Pattern.compile("key='pid' value='(\\d+)'").matcher(status);
        assertTrue(m.find(), "status file records the pid");
        return Long.parseLong(m.group(1));
    }
}
