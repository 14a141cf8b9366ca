package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.rpc.testing.Processes.Result;

/**
 * virsh's iface-* commands through the RPC server to the host interface driver reading the real /sys, held
 * against what libvirtd 9.0's udev backend printed on the machine these tests were written on (resources
 * {@code iface-libvirtd/}); outputs that depend on that machine's interfaces are compared only where this
 * host has the same ones. The refusals of the read-only backend hold everywhere.
 */
class VirshInterfaceTest {
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
        try (InputStream in = VirshInterfaceTest.class.getResourceAsStream("iface-libvirtd/" + name)) {
            if (in == null) {
                throw new IOException("no recorded output " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String sysfs(String iface, String attribute) {
        try {
            return Files.readString(Path.of("/sys/class/net", iface, attribute)).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static void assumeRecordedEth0() {
        Assumptions.assumeTrue("02:fc:00:00:00:01".equals(sysfs("eth0", "address"))
            && "1400".equals(sysfs("eth0", "mtu")) && "up".equals(sysfs("eth0", "operstate")),
            "this host's eth0 is not the recorded one");
    }

    @Test
    void dumpxmlMacAndNameOfTheRecordedEth0AreLibvirtds() throws Exception {
        assumeRecordedEth0();
        assertEquals(recorded("eth0.xml"), virsh("iface-dumpxml", "eth0").stdout());
        assertEquals(recorded("eth0.xml"), virsh("iface-dumpxml", "--inactive", "eth0").stdout());
        assertEquals(recorded("mac-eth0.txt"), virsh("iface-mac", "eth0").stdout());
        assertEquals(recorded("name-02_fc_00_00_00_01.txt"), virsh("iface-name", "02:fc:00:00:00:01").stdout());
        assertEquals(recorded("list.txt"), virsh("iface-list").stdout());
        assertEquals(recorded("error-name-uppercase.txt"),
            virsh("iface-name", "02:FC:00:00:00:01").stderr().strip() + "\n");
    }

    @Test
    void loopbackIsAnInactiveEthernetInterface() throws Exception {
        Assumptions.assumeTrue("unknown".equals(sysfs("lo", "operstate")), "lo is not in state unknown here");
        assertEquals(recorded("lo.xml"), virsh("iface-dumpxml", "lo").stdout());
    }

    @Test
    void listingsSplitByStateAsLibvirtdsOnTheRecordedHost() throws Exception {
        assumeRecordedEth0();
        String all = virsh("iface-list", "--all").stdout();
        String inactive = virsh("iface-list", "--inactive").stdout();
        Assumptions.assumeTrue(names(all).equals(names(recorded("list-all.txt"))), "other interfaces than recorded");
        assertEquals(stripIfbMacs(recorded("list-all.txt")), stripIfbMacs(all));
        assertEquals(stripIfbMacs(recorded("list-inactive.txt")), stripIfbMacs(inactive));
    }

    /** The first column of virsh's interface table. */
    private static List<String> names(String table) {
        return table.lines().skip(2).map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.split("\\s+")[0])
            .toList();
    }

    /** The ifb devices' MACs are random per boot; their rows keep name and state. */
    private static String stripIfbMacs(String table) {
        return table.replaceAll("(?m)^( ifb\\d+\\s+\\S+\\s+)\\S+$", "$1MAC");
    }

    @Test
    void unknownInterfacesAndChangesFailAsWithLibvirtdsUdevBackend() throws Exception {
        assertEquals(recorded("error-dumpxml-nosuch.txt"), virsh("iface-dumpxml", "nosuch").stderr().strip() + "\n");
        Path input = Files.createTempFile("iface", ".xml");
        try {
            Files.writeString(input, recorded("define-input.xml"));
            String error = virsh("iface-define", input.toString()).stderr().strip() + "\n";
            assertEquals(recorded("error-define.txt").replace("/tmp/h7x.xml", input.toString()), error);
        } finally {
            Files.delete(input);
        }
        String someInterface = names(virsh("iface-list", "--all").stdout()).get(0);
        for (String command : new String[] {"undefine", "start", "destroy"}) {
            assertEquals(recorded("error-" + command + ".txt").replace("ifb0", someInterface),
                virsh("iface-" + command, someInterface).stderr().strip() + "\n", command);
        }
    }
}
