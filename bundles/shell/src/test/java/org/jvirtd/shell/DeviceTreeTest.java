package org.jvirtd.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The tree of {@code virt:nodedev-list --tree} against what virsh printed for libvirtd 9.0 on a virtio guest
 * (resource {@code libvirtd-nodedev-tree.txt}): devices in name order, each with the parent its node device XML
 * named.
 */
class DeviceTreeTest {
    @Test
    void drawsVirshsTreeForTheRecordedDevices() throws Exception {
        List<DeviceTree.Node> nodes = List.of(
            new DeviceTree.Node("block_vda", "pci_0000_00_02_0"),
            new DeviceTree.Node("computer", null),
            new DeviceTree.Node("net_eth0_02_fc_00_00_00_01", "pci_0000_00_03_0"),
            new DeviceTree.Node("net_ifb0_42_38_3c_2f_9e_78", "computer"),
            new DeviceTree.Node("net_ifb1_5e_b9_74_d8_b1_ec", "computer"),
            new DeviceTree.Node("net_lo_00_00_00_00_00_00", "computer"),
            new DeviceTree.Node("pci_0000_00_00_0", "computer"),
            new DeviceTree.Node("pci_0000_00_01_0", "computer"),
            new DeviceTree.Node("pci_0000_00_02_0", "computer"),
            new DeviceTree.Node("pci_0000_00_03_0", "computer"),
            new DeviceTree.Node("pci_0000_00_04_0", "computer"),
            new DeviceTree.Node("pci_0000_00_05_0", "computer"));
        String expected;
        try (InputStream in = getClass().getResourceAsStream("libvirtd-nodedev-tree.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(expected, DeviceTree.render(nodes));
    }
}
