package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.core.internal.CoreHarness;
import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.driver.qemu.internal.firmware.FirmwareDescriptor;
import org.jvirtd.driver.qemu.internal.firmware.FirmwareDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a define stores and what the driver reports about a definition, with the capabilities probed from the
 * installed QEMU: libvirt's post-parse defaults and addresses, machine aliases expanded, domain capabilities,
 * and libvirt's "none" security driver.
 */
class QemuDefinitionTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path root;

    private static String domain(String name, String type) {
        return "<domain type='qemu'><name>" + name + "</name><memory unit='MiB'>64</memory><os>" + type
            + "</os></domain>";
    }

    private static String storedMachine(Connection conn, DomainRef dom) {
        String xml = conn.xml(dom, DomainFlags.XML_INACTIVE);
        int at = xml.indexOf("machine='") + "machine='".length();
        return xml.substring(at, xml.indexOf('\'', at));
    }

    /** The machine type QEMU's query-machines names as the target of an alias. */
    private static String aliasTarget(QemuCaps caps, String alias) {
        return caps.machines().stream().filter(m -> m.accel().equals("tcg") && alias.equals(m.alias()))
            .map(QemuCaps.Machine::name).findFirst().orElseThrow();
    }

    @Test
    void aHostPciDeviceIsRefusedAtStartWhereTheHostCannotPassOneThrough() {
        org.junit.jupiter.api.Assumptions.assumeFalse(java.nio.file.Files.exists(Path.of("/dev/vfio/vfio")),
            "this host has VFIO");
        CoreHarness core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        DomainRef dom = conn.define("<domain type='qemu'><name>hd</name><memory unit='MiB'>64</memory><os>"
            + "<type machine='pc'>hvm</type></os><devices><hostdev mode='subsystem' type='pci' managed='yes'><source>"
            + "<address domain='0x0000' bus='0x06' slot='0x12' function='0x1'/></source></hostdev></devices></domain>", 0);
        VirtException e = assertThrows(VirtException.class, () -> conn.create(dom, 0));
        assertEquals("unsupported configuration: host doesn't support passthrough of host PCI devices", e.getMessage());
        assertTrue(conn.xml(dom, 0).contains("<hostdev mode='subsystem' type='pci' managed='yes'>"));
    }

    @Test
    void aliasesAndAMissingMachineAreStoredAsTheMachineTypeTheyStandFor() {
        QemuDriver driver = TinyGuest.driver(root);
        CoreHarness core = new CoreHarness(root);
        core.bind(driver);
        Connection conn = core.open();
        QemuCaps caps = driver.probedCaps();
        String pc = aliasTarget(caps, "pc");
        String q35 = aliasTarget(caps, "q35");
        assertTrue(pc.startsWith("pc-i440fx-"), pc);
        assertTrue(q35.startsWith("pc-q35-"), q35);

        assertEquals(pc, storedMachine(conn, conn.define(domain("m-pc", "<type machine='pc'>hvm</type>"), 0)));
        assertEquals(q35, storedMachine(conn, conn.define(domain("m-q35", "<type machine='q35'>hvm</type>"), 0)));
        assertEquals(pc, storedMachine(conn, conn.define(domain("m-none", "<type>hvm</type>"), 0)));
        assertEquals("pc-i440fx-2.0",
            storedMachine(conn, conn.define(domain("m-old", "<type machine='pc-i440fx-2.0'>hvm</type>"), 0)));
    }

    /** What virt-install --import --osinfo detect=on,require=off --virt-type qemu --graphics none --network none prints. */
    private static final String VIRT_INSTALL_DEFAULT = """
        <domain type="qemu">
          <name>vi</name>
          <memory>131072</memory>
          <currentMemory>131072</currentMemory>
          <vcpu>1</vcpu>
          <os>
            <type arch="x86_64" machine="pc-i440fx-7.2">hvm</type>
            <boot dev="hd"/>
          </os>
          <features><acpi/><apic/></features>
          <clock offset="utc">
            <timer name="rtc" tickpolicy="catchup"/>
            <timer name="pit" tickpolicy="delay"/>
            <timer name="hpet" present="no"/>
          </clock>
          <pm><suspend-to-mem enabled="no"/><suspend-to-disk enabled="no"/></pm>
          <devices>
            <emulator>/usr/bin/qemu-system-x86_64</emulator>
            <disk type="file" device="disk">
              <driver name="qemu" type="qcow2"/>
              <source file="/tmp/x.qcow2"/>
              <target dev="hda" bus="ide"/>
            </disk>
            <controller type="usb" model="ich9-ehci1"/>
            <controller type="usb" model="ich9-uhci1"><master startport="0"/></controller>
            <controller type="usb" model="ich9-uhci2"><master startport="2"/></controller>
            <controller type="usb" model="ich9-uhci3"><master startport="4"/></controller>
            <console type="pty"/>
          </devices>
        </domain>
        """;

    /** The devices of libvirt 9.0's dumpxml of that definition, defined on the same QEMU 7.2 (i440fx). */
    @Test
    void aDefinitionIsStoredWithTheDefaultsAndAddressesLibvirtGivesIt() {
        QemuDriver driver = TinyGuest.driver(root);
        CoreHarness core = new CoreHarness(root);
        core.bind(driver);
        Connection conn = core.open();
        String xml = conn.xml(conn.define(VIRT_INSTALL_DEFAULT, 0), DomainFlags.XML_INACTIVE);
        assertTrue(xml.contains("""
              <cpu mode='custom' match='exact' check='none'>
                <model fallback='forbid'>qemu64</model>
              </cpu>
            """), xml);
        assertTrue(xml.contains("""
                  <target dev='hda' bus='ide'/>
                  <address type='drive' controller='0' bus='0' target='0' unit='0'/>
                </disk>
                <controller type='usb' index='0' model='ich9-ehci1'>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x7'/>
                </controller>
                <controller type='usb' index='0' model='ich9-uhci1'>
                  <master startport='0'/>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0' multifunction='on'/>
                </controller>
            """), xml);
        assertTrue(xml.contains("""
                <controller type='pci' index='0' model='pci-root'/>
                <controller type='ide' index='0'>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x1'/>
                </controller>
                <serial type='pty'>
                  <target type='isa-serial' port='0'>
                    <model name='isa-serial'/>
                  </target>
                </serial>
                <console type='pty'>
                  <target type='serial' port='0'/>
                </console>
                <input type='mouse' bus='ps2'/>
                <input type='keyboard' bus='ps2'/>
                <audio id='1' type='none'/>
                <memballoon model='virtio'>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>
                </memballoon>
              </devices>
            """), xml);
    }

    @Test
    void domainCapabilitiesOfTheInstalledQemuNameTheCanonicalMachineAndItsFirmware() throws Exception {
        QemuDriver driver = TinyGuest.driver(root);
        CoreHarness core = new CoreHarness(root);
        core.bind(driver);
        Connection conn = core.open();
        QemuCaps caps = driver.probedCaps();
        String pc = conn.domainCapabilities(null, null, null, "qemu", 0);
        assertTrue(pc.contains("<domain>qemu</domain>\n  <machine>" + aliasTarget(caps, "pc") + "</machine>\n"), pc);
        String q35 = conn.domainCapabilities(null, "x86_64", "q35", "qemu", 0);
        assertTrue(q35.contains("<machine>" + aliasTarget(caps, "q35") + "</machine>"), q35);
        List<FirmwareDescriptor> firmware = FirmwareDescriptors.read(FirmwareDescriptors.SYSTEM_DIRS);
        for (FirmwareDescriptor f : firmware) {
            if (f.supports("x86_64", aliasTarget(caps, "q35"))) {
                assertTrue(q35.contains("<value>" + f.executable() + "</value>"), f + " in " + q35);
            }
        }
        VirtException unknown = assertThrows(VirtException.class,
            () -> conn.domainCapabilities(null, null, "foo", "qemu", 0));
        assertEquals("invalid argument: the machine 'foo' is not supported by emulator '/usr/bin/qemu-system-x86_64'",
            unknown.getMessage());
        VirtException xen = assertThrows(VirtException.class, () -> conn.domainCapabilities(null, null, null, "xen", 0));
        assertEquals("invalid argument: Emulator '/usr/bin/qemu-system-x86_64' does not support virt type 'xen'",
            xen.getMessage());
    }

    @Test
    void theSecurityDriverIsNoneWithDoiZeroAndLabelsNothing() {
        CoreHarness core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        assertEquals(new Connection.SecurityModel("none", "0"), conn.securityModel());
        DomainRef dom = conn.define(domain("sec", "<type machine='pc'>hvm</type>"), 0);
        assertEquals(new Connection.SecurityLabel("", false), conn.securityLabel(dom));
        assertTrue(conn.capabilities().contains("<secmodel>\n      <model>none</model>\n      <doi>0</doi>\n"
            + "    </secmodel>\n  </host>"), conn.capabilities());
    }

    @Test
    void anEncryptionInTheSourceOrInTheDiskGetsEngineQemuAsLibvirt90Stores() {
        QemuDriver driver = TinyGuest.driver(root);
        CoreHarness core = new CoreHarness(root);
        core.bind(driver);
        Connection conn = core.open();
        String secret = "<secret type='passphrase' uuid='aaaaaaaa-2222-3333-4444-555555555555'/>";
        DomainRef dom = conn.define("<domain type='qemu'><name>enc</name><memory unit='MiB'>64</memory>"
            + "<os><type machine='pc'>hvm</type></os><devices>"
            + "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/i/a.img'>"
            + "<encryption format='luks'>" + secret + "</encryption></source><target dev='vdb' bus='virtio'/></disk>"
            + "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/i/b.qcow2'/>"
            + "<target dev='vdc' bus='virtio'/><encryption format='luks'>" + secret + "</encryption></disk>"
            + "</devices></domain>", 0);
        String xml = conn.xml(dom, DomainFlags.XML_INACTIVE);
        assertEquals(2, xml.split("<encryption format='luks' engine='qemu'>", -1).length - 1, xml);
    }
}
