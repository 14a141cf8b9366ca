package org.jvirtd.nodedev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.jvirtd.platform.net.OffloadFeatures;
import org.jvirtd.testing.Prerequisite;

/**
 * The offload features node device XML lists for each of this host's interfaces are those {@code ethtool -k}
 * shows on, read by ethtool through the kernel's newer feature interface: a cross-check of the ioctl reading.
 * {@code txudptnl} is the feature with libvirt's bit number (25) under the kernel's name for that bit.
 */
class OffloadFeaturesTest {
    /** ethtool -k's names for libvirt's features, in libvirt's order. */
    private static final Map<String, String> ETHTOOL_NAMES = Map.ofEntries(Map.entry("rx", "rx-checksumming"),
        Map.entry("tx", "tx-checksumming"), Map.entry("sg", "scatter-gather"),
        Map.entry("tso", "tcp-segmentation-offload"), Map.entry("gso", "generic-segmentation-offload"),
        Map.entry("gro", "generic-receive-offload"), Map.entry("lro", "large-receive-offload"),
        Map.entry("rxvlan", "rx-vlan-offload"), Map.entry("txvlan", "tx-vlan-offload"),
        Map.entry("ntuple", "ntuple-filters"), Map.entry("rxhash", "receive-hashing"));
    private static final List<String> ORDER = List.of("rx", "tx", "sg", "tso", "gso", "gro", "lro", "rxvlan",
        "txvlan", "ntuple", "rxhash");

    @Test
    void everyInterfacesFeaturesAreWhatEthtoolShowsOn() throws Exception {
        Prerequisite.requirePrograms("ethtool");
        List<String> interfaces;
        try (Stream<Path> entries = Files.list(Path.of("/sys/class/net"))) {
            interfaces = entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertFalse(interfaces.isEmpty());
        for (String iface : interfaces) {
            assertEquals(ethtoolOn(iface), OffloadFeatures.of(iface), iface);
        }
    }

    @Test
    void anInterfaceThatIsNotThereHasNone() {
        assertEquals(List.of(), OffloadFeatures.of("nosuch0"));
        assertEquals(List.of(), OffloadFeatures.of("a-name-longer-than-ifnamsiz"));
    }

    private static List<String> ethtoolOn(String iface) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("ethtool", "-k", iface).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        List<String> on = new ArrayList<>();
        for (String feature : ORDER) {
            if (output.contains("\n" + ETHTOOL_NAMES.get(feature) + ": on")) {
                on.add(feature);
            }
        }
        // libvirt 9.0 says txudptnl for feature bit 25, whatever the running kernel names it
        String bit25 = KernelFeatureNames.nameOfBit(iface, 25);
        if (bit25 != null && java.util.regex.Pattern.compile("(?m)^\\s*" + java.util.regex.Pattern.quote(bit25)
            + ": on").matcher(output).find()) {
            on.add("txudptnl");
        }
        return on;
    }
}
