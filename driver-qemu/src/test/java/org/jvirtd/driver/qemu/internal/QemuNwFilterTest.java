package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.network.NetworkFlags;
import org.jvirtd.api.network.NetworkRef;
import org.jvirtd.api.nwfilter.NwFilterBindingRef;
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
import org.jvirtd.net.nwfilter.NwFilterDriver;
import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.testing.Prerequisite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A TCG guest whose interface on a NAT network has {@code <filterref filter='clean-traffic'>}, all inside a
 * namespace of the test's own: the QEMU driver binds the filter to the guest's TAP through the nwfilter driver
 * (ebtables rules as libvirt 9.0 lays them), the guest gets its DHCP lease and answers a ping, and what it sends
 * from another IP address or another MAC address is dropped at the TAP: the drop rules count it, and nothing of it
 * shows on the bridge. The binding goes with the guest.
 */
class QemuNwFilterTest {
    private static final String MAC = "52:54:00:fe:17:01";
    private static final String IP = "192.168.162.50";
    private static final String SPOOFED_IP = "192.168.162.99";
    private static final String SPOOFED_MAC = "52:54:00:de:ad:01";
    private static final Duration BOOT = Duration.ofSeconds(240);
    private static Path guest;

    private TestNamespace ns;
    private Path root;
    private NetworkDriver networks;
    private NwFilterDriver filters;
    private QemuDriver qemu;
    private CoreHarness core;
    private Connection conn;

    @BeforeAll
    static void buildGuest() throws Exception {
        guest = TinyGuest.build();
    }

    @BeforeEach
    void setUp() throws Exception {
        Prerequisite.require("root and ip netns", TestNamespace.available());
        Prerequisite.requirePrograms("ebtables", "tcpdump");
        ns = new TestNamespace();
        root = Files.createDirectories(Path.of("/tmp/jvirtd-qemu-nwfilter", ns.name));
        for (Path p = root; p.startsWith("/tmp/jvirtd-qemu-nwfilter"); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        DaemonConfig config = config();
        DnsmasqService dnsmasq = new DnsmasqService();
        ForwardModes modes = new ForwardModes(config.graceMillis());
        modes.bindMode(new NatMode(dnsmasq, new NftablesFirewall()));
        networks = new NetworkDriver(config, modes);
        networks.bindDhcpDns(dnsmasq);
        filters = new NwFilterDriver(config);
        filters.bindNetworks(networks);
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/tmp"), System.getenv(), List.of());
        qemu = new QemuDriver(conf, new QemuCapsCache(Path.of("target/caps-cache").toAbsolutePath()),
            new HostNetwork(ns.name));
        qemu.bindNetworks(networks);
        qemu.bindFilters(filters);
        core = new CoreHarness(root);
        core.bind(qemu);
        conn = core.open();
    }

    private DaemonConfig config() {
        DaemonPaths paths = DaemonPaths.resolve(root.toString(), true, Map.of(), "/root");
        ConfFile settings = ConfFile.parse("jvirtd.conf", "network_namespace = \"" + ns.name + "\"\n");
        return new DaemonConfig() {
            public ConfFile settings() { return settings; }
            public DaemonPaths paths() { return paths; }
            public boolean listen() { return false; }
            public long graceMillis() { return 2000; }
            public AutoCloseable onReload(Runnable listener) { return () -> { }; }
        };
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
            filters.deactivate();
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

    private String domainXml(Path serial) {
        return domainXml(serial, "<parameter name='IP' value='" + IP + "'/>");
    }

    private String domainXml(Path serial, String parameters) {
        return "<domain type='qemu'>\n  <name>jvq-filtered</name>\n  <memory unit='MiB'>128</memory>\n"
            + "  <vcpu>1</vcpu>\n  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n"
            + "    <kernel>" + guest.resolve("vmlinuz") + "</kernel>\n"
            + "    <initrd>" + guest.resolve("initrd.img") + "</initrd>\n"
            + "    <cmdline>console=ttyS0 fixture.shell=1</cmdline>\n  </os>\n  <features><acpi/></features>\n"
            + "  <devices>\n    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
            + "    <interface type='network'><mac address='" + MAC + "'/><source network='jvfnat'/>"
            + "<model type='virtio'/><filterref filter='clean-traffic'>" + parameters + "</filterref></interface>\n"
            + "    <serial type='unix'><source mode='bind' path='" + serial + "'/><target port='0'/></serial>\n"
            + "    <memballoon model='none'/>\n  </devices>\n</domain>\n";
    }

    @Test
    void aCleanTrafficGuestGetsItsLeaseAndItsSpoofedFramesDoNotLeaveTheTap() throws Exception {
        networks.create(networks.define("<network><name>jvfnat</name><forward mode='nat'/><bridge name='jvfbr0'/>"
            + "<ip address='192.168.162.1' netmask='255.255.255.0'><dhcp><range start='192.168.162.100'"
            + " end='192.168.162.200'/><host mac='" + MAC + "' ip='" + IP + "'/></dhcp></ip></network>", 0));
        Path serial = root.resolve("serial.sock");
        DomainRef dom = conn.define(domainXml(serial), 0);
        conn.create(dom, 0);

        assertEquals(List.of(new NwFilterBindingRef("vnet0", "clean-traffic")), filters.listAllBindings(0));
        String binding = filters.bindingXml(filters.lookupBinding("vnet0"), 0);
        assertTrue(binding.contains("<name>jvq-filtered</name>") && binding.contains("<mac address='" + MAC + "'/>")
            && binding.contains("<parameter name='IP' value='" + IP + "'/>"), binding);
        String rules = natTable();
        assertTrue(rules.contains("-i vnet0 -j libvirt-I-vnet0") && rules.contains("-o vnet0 -j libvirt-O-vnet0"), rules);
        assertTrue(rules.contains("-p IPv4 --ip-src " + IP + " -j RETURN"), rules);

        try (GuestShell shell = GuestShell.connect(serial)) {
            TinyGuest.await(BOOT, "the guest's DHCP lease", () -> shell.saw("GUEST-LEASE iface=eth0 ip=" + IP + "/"));
            assertTrue(ns.inside.run("ping", "-c", "1", "-W", "5", IP).ok(), "the host pings the filtered guest");
            assertRulesComeBackWithANewNwfilterDriver();

            long ipDrops = drops("I-vnet0-ipv4-ip");
            long arpDrops = drops("I-vnet0-arp-ip");
            long macDrops = drops("I-vnet0-mac");
            try (Capture bridge = Capture.start(ns, "jvfbr0", "src host " + SPOOFED_IP + " or ether src " + SPOOFED_MAC
                + " or (arp and arp[14:4] = 0xc0a8a263)")) {
                assertTrue(shell.run("ip addr add " + SPOOFED_IP + "/32 dev eth0; ping -c 3 -W 1 -I " + SPOOFED_IP
                    + " 192.168.162.1", "SPOOFED-IP", BOOT));
                assertTrue(shell.run("arping -c 2 -w 3 -s " + SPOOFED_IP + " -I eth0 192.168.162.1", "SPOOFED-ARP", BOOT));
                assertTrue(shell.run("ip link set eth0 address " + SPOOFED_MAC + "; ping -c 3 -W 1 192.168.162.1; ip link"
                    + " set eth0 address " + MAC, "SPOOFED-MAC", BOOT));
                assertTrue(drops("I-vnet0-ipv4-ip") > ipDrops, "the spoofed IP was dropped: " + natCounters());
                assertTrue(drops("I-vnet0-arp-ip") > arpDrops, "the spoofed ARP was dropped: " + natCounters());
                assertTrue(drops("I-vnet0-mac") > macDrops, "the spoofed MAC was dropped: " + natCounters());
                assertEquals("", bridge.packets(), "nothing spoofed reached the bridge");
            }
            try (Capture own = Capture.start(ns, "jvfbr0", "src host " + IP)) {
                assertTrue(ns.inside.run("ping", "-c", "2", "-W", "5", IP).ok(), "the guest's own traffic still passes");
                String packets = own.packets();
                assertTrue(packets.contains(IP + " > 192.168.162.1: ICMP echo reply"),
                    "the capture on the bridge sees what the guest may send: " + packets);
            }

            String hotplugged = "<interface type='network'><mac address='52:54:00:fe:17:02'/>"
                + "<source network='jvfnat'/><model type='virtio'/><filterref filter='no-mac-spoofing'/></interface>";
            conn.attachDevice(dom, hotplugged, 0);
            assertEquals(new NwFilterBindingRef("vnet1", "no-mac-spoofing"), filters.lookupBinding("vnet1"));
            assertTrue(natTable().contains("-s 52:54:00:fe:17:02 -j RETURN"), "a hot-plugged NIC's filter: " + natTable());
            TinyGuest.await(BOOT, "the guest sees the new NIC", () -> shell.saw("GUEST-HOTPLUG add net eth1"));
            conn.detachDevice(dom, hotplugged, 0);
            assertThrows(VirtException.class, () -> filters.lookupBinding("vnet1"), "its binding goes with it");
        }

        conn.destroy(dom, 0);
        assertTrue(filters.listAllBindings(0).isEmpty(), "the binding goes with the guest");
        assertFalse(natTable().contains("vnet0"), natTable());
    }

    /**
     * Without an IP parameter the port first gets libvirt's learning rules (the guest's MAC only), then, once the
     * guest holds a DHCP lease, clean-traffic's rules for the leased address: the guest answers pings from it, and
     * what it sends from another address is dropped.
     */
    @Test
    void withoutAnIpParameterTheAddressIsLearnedFromTheGuestsLease() throws Exception {
        networks.create(networks.define("<network><name>jvfnat</name><forward mode='nat'/><bridge name='jvfbr0'/>"
            + "<ip address='192.168.162.1' netmask='255.255.255.0'><dhcp><range start='192.168.162.100'"
            + " end='192.168.162.200'/></dhcp></ip></network>", 0));
        Path serial = root.resolve("serial.sock");
        DomainRef dom = conn.define(domainXml(serial, ""), 0);
        conn.create(dom, 0);
        assertTrue(natTable().contains("-s ! " + MAC + " -j DROP"), "learning rules: " + natTable());

        try (GuestShell shell = GuestShell.connect(serial)) {
            Pattern leasePattern = Pattern.compile("GUEST-LEASE iface=eth0 ip=(192\\.168\\.162\\.\\d+)/");
            TinyGuest.await(BOOT, "the guest's DHCP lease", () -> leasePattern.matcher(shell.output()).find());
            Matcher lease = leasePattern.matcher(shell.output());
            assertTrue(lease.find());
            String leased = lease.group(1);
            TinyGuest.await(Duration.ofSeconds(30), "the learned address in the rules",
                () -> natTable().contains("-p IPv4 --ip-src " + leased + " -j RETURN"));
            assertTrue(ns.inside.run("ping", "-c", "1", "-W", "5", leased).ok(), "the host pings the guest");
            long ipDrops = drops("I-vnet0-ipv4-ip");
            assertTrue(shell.run("ip addr add " + SPOOFED_IP + "/32 dev eth0; ping -c 3 -W 1 -I " + SPOOFED_IP
                + " 192.168.162.1", "SPOOFED-IP", BOOT));
            assertTrue(drops("I-vnet0-ipv4-ip") > ipDrops, "the spoofed IP was dropped: " + natCounters());
        }
        conn.destroy(dom, 0);
        assertFalse(natTable().contains("vnet0"), natTable());
    }

    /** As after a daemon restart or an update of the nwfilter bundle: the new driver lays the binding's rules again. */
    private void assertRulesComeBackWithANewNwfilterDriver() {
        String before = natTable();
        qemu.unbindFilters(filters);
        filters.deactivate();
        ns.inside.check("ebtables", "-t", "nat", "-F");
        assertFalse(natTable().contains("-j libvirt-I-vnet0"), natTable());
        filters = new NwFilterDriver(config());
        filters.bindNetworks(networks);
        qemu.bindFilters(filters);
        assertEquals(before, natTable());
    }

    private String natTable() {
        return ns.inside.check("ebtables", "-t", "nat", "-L");
    }

    private String natCounters() {
        return ns.inside.check("ebtables", "-t", "nat", "-L", "--Lc");
    }

    /** The packet count of the final DROP rule of an ebtables nat chain. */
    private long drops(String chain) {
        Matcher m = Pattern.compile("Bridge chain: " + Pattern.quote(chain) + ",.*?\\n-j DROP , pcnt = (\\d+)",
            Pattern.DOTALL).matcher(natCounters());
        assertTrue(m.find(), "chain " + chain + " ends in DROP: " + natCounters());
        return Long.parseLong(m.group(1));
    }

    /** tcpdump on an interface of the namespace, its packet lines read when the capture is closed. */
    private static final class Capture implements AutoCloseable {
        private final Process process;
        private final Path output;
        private final Path log;

        private Capture(Process process, Path output, Path log) {
            this.process = process;
            this.output = output;
            this.log = log;
        }

        /** Starts tcpdump and returns once it says it listens. */
        static Capture start(TestNamespace ns, String device, String expression) throws Exception {
            Path output = Files.createTempFile("jvirtd-capture", ".txt");
            Path log = Files.createTempFile("jvirtd-capture", ".log");
            Process p = new ProcessBuilder(ns.inside.argv(List.of("tcpdump", "-n", "-l", "-i", device, expression)))
                .redirectOutput(output.toFile()).redirectError(log.toFile()).start();
            Capture capture = new Capture(p, output, log);
            TinyGuest.await(Duration.ofSeconds(30), "tcpdump listening on " + device, () -> {
                try {
                    return Files.readString(log).contains("listening on") || !p.isAlive();
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            assertTrue(p.isAlive(), "tcpdump runs: " + Files.readString(log));
            return capture;
        }

        /** Stops the capture and returns the packets it printed. */
        String packets() throws Exception {
            process.destroy();
            process.waitFor();
            return Files.readString(output).strip();
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.destroy();
                process.waitFor();
            }
            Files.deleteIfExists(output);
            Files.deleteIfExists(log);
        }
    }
}
