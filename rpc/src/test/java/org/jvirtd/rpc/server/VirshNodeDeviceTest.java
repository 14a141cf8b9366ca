package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.rpc.testing.Processes.Result;

/**
 * virsh's nodedev-* commands through the RPC server to the node device driver reading the real /sys, held
 * against what libvirtd 9.0 printed on the machine these tests were written on (resources
 * {@code nodedev-libvirtd/}, see its README). Where this host is another machine, the recorded devices it
 * lacks are skipped; the net devices and the parent relations are checked against this host's sysfs.
 */
class VirshNodeDeviceTest {
    private static final String RECORDED = "nodedev-libvirtd/";
    private static final List<String> RECORDED_DEVICES = List.of("computer", "block_vda", "pci_0000_00_00_0",
        "pci_0000_00_01_0", "pci_0000_00_02_0", "pci_0000_00_03_0", "pci_0000_00_04_0", "pci_0000_00_05_0",
        "net_lo_00_00_00_00_00_00");
    private static InProcessDaemon daemon;

    @BeforeAll
    static void startDaemon() throws Exception {
        daemon = new InProcessDaemon(ServerSettings.defaults());
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        daemon.close();
    }

    private static Result virsh(String... args) throws Exception {
        return Processes.virsh(daemon.uri(), args);
    }

    private static String recorded(String name) throws IOException {
        try (InputStream in = VirshNodeDeviceTest.class.getResourceAsStream(RECORDED + name)) {
            if (in == null) {
                throw new IOException("no recorded output " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The sysfs path a recorded device's XML names ("computer" has none and is on every host). */
    private static boolean presentHere(String xml) {
        int start = xml.indexOf("<path>");
        return start < 0 || Files.isDirectory(Path.of(xml.substring(start + 6, xml.indexOf("</path>"))));
    }

    /** Whether this is the machine the outputs were recorded on: the same devices, apart from net ones. */
    private static boolean recordedHost() throws Exception {
        List<String> here = virsh("nodedev-list").stdout().lines().filter(n -> !n.startsWith("net_")).toList();
        List<String> there = recorded("list.txt").lines().filter(n -> !n.startsWith("net_")).toList();
        return here.equals(there);
    }

    @Test
    void dumpxmlOfPciSystemAndDiskDevicesIsLibvirtdsForThisHost() throws Exception {
        int compared = 0;
        for (String device : RECORDED_DEVICES) {
            String expected = recorded(device + ".xml");
            if (!presentHere(expected)) {
                continue;
            }
            Result dump = virsh("nodedev-dumpxml", device);
            assertEquals(expected, dump.stdout(), device + ": " + dump);
            compared++;
        }
        Assumptions.assumeTrue(compared > 1, "none of the recorded PCI devices is on this host");
    }

    @Test
    void listingsAndTreeAreLibvirtdsOnTheRecordedHost() throws Exception {
        Assumptions.assumeTrue(recordedHost(), "another machine than the one libvirtd's output was recorded on");
        assertEquals(recorded("cap-pci.txt"), virsh("nodedev-list", "--cap", "pci").stdout());
        assertEquals(recorded("cap-storage-system.txt"), virsh("nodedev-list", "--cap", "storage,system").stdout());
        for (String device : List.of("computer", "pci_0000_00_02_0", "block_vda")) {
            assertEquals(recorded("info-" + device + ".txt"), virsh("nodedev-info", device).stdout(), device);
        }
        List<String> expectedTree = withoutNetDevices(recorded("tree.txt"));
        assertEquals(expectedTree, withoutNetDevices(virsh("nodedev-list", "--tree").stdout()));
    }

    /** The tree's lines without net devices, whose names on the recorded host changed per boot. */
    private static List<String> withoutNetDevices(String tree) {
        List<String> lines = new ArrayList<>();
        for (String line : tree.split("\n", -1)) {
            if (!line.contains("net_")) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void everyHostInterfaceIsANetDeviceNamedByNameAndMac() throws Exception {
        List<String> listed = virsh("nodedev-list", "--cap", "net").stdout().lines().filter(l -> !l.isEmpty())
            .toList();
        List<String> expected = new ArrayList<>();
        try (Stream<Path> interfaces = Files.list(Path.of("/sys/class/net"))) {
            for (Path iface : interfaces.sorted().toList()) {
                if (Files.exists(iface.resolve("uevent")) && !Files.readString(iface.resolve("uevent"))
                    .contains("DEVTYPE=")) {
                    String mac = Files.readString(iface.resolve("address")).strip();
                    String name = ("net_" + iface.getFileName() + "_" + mac).replaceAll("[^A-Za-z0-9]", "_");
                    expected.add(name);
                    String xml = virsh("nodedev-dumpxml", name).stdout();
                    assertTrue(xml.contains("<interface>" + iface.getFileName() + "</interface>"), xml);
                    assertTrue(xml.contains("<address>" + mac + "</address>"), xml);
                    assertTrue(xml.contains("<path>" + iface.toRealPath() + "</path>"), xml);
                }
            }
        }
        assertEquals(expected.stream().sorted().toList(), listed);
        assertFalse(listed.isEmpty(), "a host without even lo");
    }

    @Test
    void unknownDevicesAndCapabilitiesFailAsWithLibvirtd() throws Exception {
        Result dump = virsh("nodedev-dumpxml", "nosuch");
        assertEquals(1, dump.exitCode());
        assertEquals(recorded("error-dumpxml-nosuch.txt"), dump.stderr().strip() + "\n");
        assertEquals(recorded("error-info-nosuch.txt"), virsh("nodedev-info", "nosuch").stderr().strip() + "\n");
        assertEquals(recorded("error-cap-bogus.txt"), virsh("nodedev-list", "--cap", "bogus").stderr().strip() + "\n");
    }

    @Test
    void inactiveDevicesReadOnlyInfoAndIncompatibleOptionsAsWithLibvirtd() throws Exception {
        assertEquals(recorded("list-inactive.txt"), virsh("nodedev-list", "--inactive").stdout());
        assertEquals(recorded("info-computer-read-only.txt"),
            Processes.virsh(daemon.readOnlyUri(), "nodedev-info", "computer").stdout());
        assertEquals(recorded("error-tree-cap.txt"),
            virsh("nodedev-list", "--tree", "--cap", "net").stderr().strip() + "\n");
    }

    @Test
    void withoutTheNodedevBundleTheCallsAreNotSupported() throws Exception {
        try (InProcessDaemon bare = new InProcessDaemon(ServerSettings.defaults())) {
            bare.removeNodeDeviceDriver();
            Result list = Processes.virsh(bare.uri(), "nodedev-list");
            assertEquals(1, list.exitCode(), list.toString());
            assertEquals("error: Failed to count node devices\nerror: this function is not supported by the "
                + "connection driver: virNodeNumOfDevices", list.stderr().strip());
        }
    }

    /** stderr without blank lines, as recorded. */
    private static String errors(Result result) {
        return result.stderr().lines().filter(l -> !l.isEmpty()).collect(java.util.stream.Collectors.joining("\n"))
            + "\n";
    }

    @Test
    void detachReattachAndResetAnswerAsLibvirtdOnAHostWithoutVfio() throws Exception {
        Assumptions.assumeFalse(Files.exists(Path.of("/dev/vfio/vfio")), "this host has VFIO");
        Result detach = virsh("nodedev-detach", "net_lo_00_00_00_00_00_00");
        assertEquals(1, detach.exitCode());
        assertEquals(recorded("error-detach-net_lo.txt"), errors(detach), "VFIO is checked before the device type");
        assertEquals(recorded("error-reattach-net_lo.txt"),
            errors(virsh("nodedev-reattach", "net_lo_00_00_00_00_00_00")));
        assertEquals(recorded("error-reset-net_lo.txt"), errors(virsh("nodedev-reset", "net_lo_00_00_00_00_00_00")));
        Assumptions.assumeTrue(recordedHost(), "another machine than the one libvirtd's output was recorded on");
        assertEquals(recorded("error-detach-pci_0000_00_01_0.txt"),
            errors(virsh("nodedev-detach", "pci_0000_00_01_0")));
        assertEquals(recorded("error-detach-driver-xen.txt"),
            errors(virsh("nodedev-detach", "pci_0000_00_01_0", "--driver", "xen")));
        Result reattach = virsh("nodedev-reattach", "pci_0000_00_01_0");
        assertEquals(0, reattach.exitCode(), reattach.toString());
        assertEquals(recorded("reattach-pci_0000_00_01_0.txt"), reattach.stdout());
        assertEquals(recorded("error-reset-pci_0000_00_01_0.txt"), errors(virsh("nodedev-reset", "pci_0000_00_01_0")));
        assertEquals("error: Failed to reset device pci_0000_00_01_0\nerror: operation forbidden: read only access "
            + "prevents virNodeDeviceReset\n", errors(Processes.virsh(daemon.readOnlyUri(), "nodedev-reset",
            "pci_0000_00_01_0")));
    }
}
