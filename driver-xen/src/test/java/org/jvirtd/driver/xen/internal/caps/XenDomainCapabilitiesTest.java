package org.jvirtd.driver.xen.internal.caps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jvirtd.api.VirtException;
import org.junit.jupiter.api.Test;

/**
 * Domain capabilities for Xen PV, PVH and HVM. The PV document is libvirt's own libxl-xenpv.xml test data
 * (tests/domaincapsdata) with the sgx line libvirt 8.10 and later add; HVM differs in vCPUs and loader, PVH has no
 * host devices.
 */
class XenDomainCapabilitiesTest {
    private static final String PV = """
        <domainCapabilities>
          <path>/usr/bin/qemu-system-x86_64</path>
          <domain>xen</domain>
          <machine>xenpv</machine>
          <arch>x86_64</arch>
          <vcpu max='512'/>
          <iothreads supported='no'/>
          <os supported='yes'>
            <loader supported='no'/>
          </os>
          <cpu>
            <mode name='host-passthrough' supported='no'/>
            <mode name='maximum' supported='no'/>
            <mode name='host-model' supported='no'/>
            <mode name='custom' supported='no'/>
          </cpu>
          <devices>
            <disk supported='yes'>
              <enum name='diskDevice'>
                <value>disk</value>
                <value>cdrom</value>
              </enum>
              <enum name='bus'>
                <value>ide</value>
                <value>scsi</value>
                <value>xen</value>
              </enum>
              <enum name='model'/>
            </disk>
            <graphics supported='yes'>
              <enum name='type'>
                <value>sdl</value>
                <value>vnc</value>
                <value>spice</value>
              </enum>
            </graphics>
            <video supported='yes'>
              <enum name='modelType'>
                <value>vga</value>
                <value>cirrus</value>
                <value>xen</value>
              </enum>
            </video>
            <hostdev supported='yes'>
              <enum name='mode'>
                <value>subsystem</value>
              </enum>
              <enum name='startupPolicy'>
                <value>default</value>
                <value>mandatory</value>
                <value>requisite</value>
                <value>optional</value>
              </enum>
              <enum name='subsysType'>
                <value>usb</value>
                <value>pci</value>
              </enum>
              <enum name='capsType'/>
              <enum name='pciBackend'>
                <value>xen</value>
              </enum>
            </hostdev>
          </devices>
          <features>
            <gic supported='no'/>
            <vmcoreinfo supported='no'/>
            <genid supported='no'/>
            <sev supported='no'/>
            <sgx supported='no'/>
          </features>
        </domainCapabilities>
        """;

    @Test
    void pvIsLibvirtsTestDocument() {
        assertEquals(PV, XenDomainCapabilities.xml(null, null, null, null, "x86_64"));
        assertEquals(PV, XenDomainCapabilities.xml(null, "x86_64", "xenpv", "xen", "x86_64"));
    }

    @Test
    void hvmHasTheLoaderAndLibxlsHvmVcpuLimit() {
        String hvm = XenDomainCapabilities.xml(null, null, "xenfv", null, "x86_64");
        assertEquals(PV.replace("<machine>xenpv</machine>", "<machine>xenfv</machine>")
            .replace("<vcpu max='512'/>", "<vcpu max='128'/>")
            .replace("    <loader supported='no'/>\n", """
                    <loader supported='yes'>
                      <value>/usr/lib/xen/boot/ovmf.bin</value>
                      <value>/usr/lib/xen/boot/hvmloader</value>
                      <enum name='type'>
                        <value>rom</value>
                        <value>pflash</value>
                      </enum>
                      <enum name='readonly'>
                        <value>yes</value>
                      </enum>
                    </loader>
                """), hvm);
    }

    @Test
    void pvhHasNoHostDevices() {
        String pvh = XenDomainCapabilities.xml("/usr/lib/xen/bin/qemu-system-i386", "i686", "xenpvh", null, "x86_64");
        assertTrue(pvh.startsWith("<domainCapabilities>\n  <path>/usr/lib/xen/bin/qemu-system-i386</path>\n"
            + "  <domain>xen</domain>\n  <machine>xenpvh</machine>\n  <arch>i686</arch>\n  <vcpu max='512'/>\n"), pvh);
        assertTrue(pvh.contains("<loader supported='no'/>"), pvh);
        assertFalse(pvh.contains("hostdev"), pvh);
        assertTrue(pvh.contains("    </video>\n  </devices>\n"), pvh);
    }

    @Test
    void unknownArchitecturesAreRefusedAnyLibvirtArchitectureIsNot() {
        assertEquals("invalid argument: unknown architecture: pdp11", assertThrows(VirtException.class,
            () -> XenDomainCapabilities.xml(null, "pdp11", "pc", null, "x86_64")).getMessage(),
            "the architecture is checked before the machine");
        assertTrue(XenDomainCapabilities.xml(null, "aarch64", null, null, "x86_64").contains("<arch>aarch64</arch>"));
    }
}
