package org.jvirtd.model.domain.qemu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.model.domain.DomainXml;
import org.junit.jupiter.api.Test;

/**
 * The QEMU post-parse pass on small definitions: i440FX and Q35 defaults and their PCI addresses.
 */
class QemuDomainDefaultsTest {
    private static String run(String arch, String machine, String devices, Set<String> flags) {
        String xml = "<domain type='qemu'><name>g</name><memory>1024</memory><os><type arch='" + arch
            + "' machine='" + machine + "'>hvm</type></os><devices>" + devices + "</devices></domain>";
        DomainDef def = QemuDomainDefaults.apply(DomainXml.parse(xml, DomainXml.INACTIVE),
            QemuCaps.ofFlags(arch, flags), QemuDefaultsConfig.defaults());
        return DomainXml.format(def, -1, DomainXml.INACTIVE);
    }

    @Test
    void i440fxGuestGetsPiix3ControllersAndBalloonInSlotTwo() {
        String out = run("x86_64", "pc", "", Set.of("piix3-usb-uhci"));
        assertTrue(out.contains("<controller type='usb' index='0' model='piix3-uhci'>\n"
            + "      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x2'/>"), out);
        assertTrue(out.contains("<controller type='pci' index='0' model='pci-root'/>"), out);
        assertTrue(out.contains("<input type='mouse' bus='ps2'/>"), out);
        assertTrue(out.contains("<audio id='1' type='none'/>"), out);
        assertTrue(out.contains("<memballoon model='virtio'>\n"
            + "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>"), out);
    }

    @Test
    void q35GuestPutsPcieDevicesBehindAutoAddedRootPorts() {
        String out = run("x86_64", "q35", "", Set.of("qemu-xhci", "pcie-root-port", "virtio-pci-non-transitional"));
        assertTrue(out.contains("<controller type='sata' index='0'>\n"
            + "      <address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x2'/>"), out);
        assertTrue(out.contains("<controller type='pci' index='1' model='pcie-root-port'>\n"
            + "      <model name='pcie-root-port'/>\n      <target chassis='1' port='0x8'/>"), out);
        assertTrue(out.contains("<controller type='usb' index='0' model='qemu-xhci'>\n"
            + "      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>"), out);
    }

    @Test
    void virtioChannelGetsAVirtioSerialControllerAndPortOne() {
        String out = run("x86_64", "pc", "<channel type='pty'><target type='virtio' name='x'/></channel>", Set.of());
        assertTrue(out.contains("<controller type='virtio-serial' index='0'>"), out);
        assertTrue(out.contains("<address type='virtio-serial' controller='0' bus='0' port='1'/>"), out);
    }
}
