package org.jvirtd.driver.qemu.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jvirtd.testing.Prerequisite;

/** tc's commands for an interface's bandwidth, and their effect on a TAP in a namespace of the test's own. */
class TapShapingTest {
    @Test
    void theCommandsAreLibvirtsHtbAndIngressPolicer() {
        List<List<String>> commands = TapShaping.commands("vnet0", Map.of("average", 100L, "peak", 200L,
            "burst", 300L), Map.of("average", 10L));
        assertEquals(List.of(
            "qdisc add dev vnet0 root handle 1: htb default 1",
            "class add dev vnet0 parent 1: classid 1:1 htb rate 100kbps ceil 200kbps burst 300kb",
            "qdisc add dev vnet0 parent 1:1 handle 2: sfq perturb 10",
            "filter add dev vnet0 parent 1:0 protocol all prio 1 handle 1 fw flowid 1",
            "qdisc add dev vnet0 ingress",
            "filter add dev vnet0 parent ffff: protocol all u32 match u32 0 0 police rate 10kbps burst 10kb mtu 64kb "
                + "drop flowid :1"), commands.stream().map(c -> String.join(" ", c)).toList());
        assertEquals(List.of(), TapShaping.commands("vnet0", Map.of(), Map.of()));
    }

    /** Inbound only: the outbound policer needs cls_u32 and act_police, which this build host's kernel lacks. */
    @Test
    void aTapInANamespaceGetsAndLosesTheInboundLimit() {
        Prerequisite.require("root and ip netns", TestNamespace.available());
        try (TestNamespace ns = new TestNamespace()) {
            ns.inside.check("ip", "tuntap", "add", "dev", "vnet0", "mode", "tap");
            TapShaping shaping = new TapShaping(ns.name);
            shaping.apply("vnet0", Map.of("inbound", Map.of("average", 100L), "outbound", Map.of()));
            String qdiscs = ns.inside.check("tc", "qdisc", "show", "dev", "vnet0");
            assertTrue(qdiscs.contains("qdisc htb 1: root"), qdiscs);
            String classes = ns.inside.check("tc", "class", "show", "dev", "vnet0");
            assertTrue(classes.contains("class htb 1:1 root") && classes.contains("rate 800Kbit"),
                "100 kbps: " + classes);
            shaping.apply("vnet0", Map.of("inbound", Map.of(), "outbound", Map.of()));
            qdiscs = ns.inside.check("tc", "qdisc", "show", "dev", "vnet0");
            assertTrue(!qdiscs.contains("htb") && !qdiscs.contains("ingress"), qdiscs);
        }
    }
}
