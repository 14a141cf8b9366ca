package org.jvirtd.driver.xen.internal.caps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jvirtd.driver.xen.internal.toolstack.XlInfo;
import org.junit.jupiter.api.Test;

/**
 * The capabilities XML of the fake xl's captured host (src/test/fake-xl/captures/info-n.txt), written out by hand
 * from libvirt 9.0's capabilities format and its libxl driver's rules, and the guest types of other xen_caps.
 */
class XenCapabilitiesTest {
    static XlInfo capturedHost() throws Exception {
        return XlInfo.parse(Files.readString(Path.of("src/test/fake-xl/captures/info-n.txt")));
    }

    @Test
    void capabilitiesOfTheCapturedHost() throws Exception {
        assertEquals("""
            <capabilities>

              <host>
                <cpu>
                  <arch>x86_64</arch>
                  <features>
                    <pae/>
                  </features>
                  <topology sockets='1' dies='1' cores='4' threads='2'/>
                </cpu>
                <power_management/>
                <iommu support='no'/>
                <migration_features>
                  <live/>
                </migration_features>
                <netprefix>vif</netprefix>
                <topology>
                  <cells num='1'>
                    <cell id='0'>
                      <memory unit='KiB'>16777216</memory>
                      <distances>
                        <sibling id='0' value='10'/>
                      </distances>
                      <cpus num='8'>
                        <cpu id='0' socket_id='0' die_id='0' core_id='0' siblings='0-1'/>
                        <cpu id='1' socket_id='0' die_id='0' core_id='0' siblings='0-1'/>
                        <cpu id='2' socket_id='0' die_id='0' core_id='1' siblings='2-3'/>
                        <cpu id='3' socket_id='0' die_id='0' core_id='1' siblings='2-3'/>
                        <cpu id='4' socket_id='0' die_id='0' core_id='2' siblings='4-5'/>
                        <cpu id='5' socket_id='0' die_id='0' core_id='2' siblings='4-5'/>
                        <cpu id='6' socket_id='0' die_id='0' core_id='3' siblings='6-7'/>
                        <cpu id='7' socket_id='0' die_id='0' core_id='3' siblings='6-7'/>
                      </cpus>
                    </cell>
                  </cells>
                </topology>
              </host>

              <guest>
                <os_type>xen</os_type>
                <arch name='x86_64'>
                  <wordsize>64</wordsize>
                  <emulator>/usr/lib/xen/bin/qemu-system-i386</emulator>
                  <machine>xenpv</machine>
                  <domain type='xen'/>
                </arch>
              </guest>

              <guest>
                <os_type>hvm</os_type>
                <arch name='i686'>
                  <wordsize>32</wordsize>
                  <emulator>/usr/lib/xen/bin/qemu-system-i386</emulator>
                  <loader>/usr/lib/xen/boot/hvmloader</loader>
                  <machine>xenfv</machine>
                  <domain type='xen'/>
                </arch>
                <features>
                  <pae/>
                  <nonpae/>
                  <acpi default='on' toggle='yes'/>
                  <apic default='on' toggle='no'/>
                  <hap default='on' toggle='yes'/>
                </features>
              </guest>

              <guest>
                <os_type>xenpvh</os_type>
                <arch name='i686'>
                  <wordsize>32</wordsize>
                  <emulator>/usr/lib/xen/bin/qemu-system-i386</emulator>
                  <machine>xenpvh</machine>
                  <domain type='xen'/>
                </arch>
                <features>
                  <hap default='on' toggle='yes'/>
                </features>
              </guest>

              <guest>
                <os_type>hvm</os_type>
                <arch name='x86_64'>
                  <wordsize>64</wordsize>
                  <emulator>/usr/lib/xen/bin/qemu-system-i386</emulator>
                  <loader>/usr/lib/xen/boot/hvmloader</loader>
                  <machine>xenfv</machine>
                  <domain type='xen'/>
                </arch>
                <features>
                  <acpi default='on' toggle='yes'/>
                  <apic default='on' toggle='no'/>
                  <hap default='on' toggle='yes'/>
                </features>
              </guest>

              <guest>
                <os_type>xenpvh</os_type>
                <arch name='x86_64'>
                  <wordsize>64</wordsize>
                  <emulator>/usr/lib/xen/bin/qemu-system-i386</emulator>
                  <machine>xenpvh</machine>
                  <domain type='xen'/>
                </arch>
                <features>
                  <hap default='on' toggle='yes'/>
                </features>
              </guest>

            </capabilities>
            """, XenCapabilities.xml(capturedHost()));
    }

    @Test
    void guestTypesMergePaeFlavoursAndAddPvhAfterEachNewHvmArch() {
        List<String> types = XenGuestTypes.of("xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p"
            + " hvm-3.0-x86_64").stream().map(g -> g.osType() + "/" + g.arch() + "/" + g.machine()).toList();
        assertEquals(List.of("xen/x86_64/xenpv", "xen/i686/xenpv", "hvm/i686/xenfv", "xenpvh/i686/xenpvh",
            "hvm/x86_64/xenfv", "xenpvh/x86_64/xenpvh"), types);
        assertEquals(List.of("xen/aarch64/xenpv", "hvm/aarch64/xenfv", "xenpvh/aarch64/xenpvh"), XenGuestTypes.of(
            "xen-3.0-aarch64 hvm-3.0-aarch64").stream().map(g -> g.osType() + "/" + g.arch() + "/" + g.machine())
            .toList());
    }

    @Test
    void cpuSetsAreWrittenAsRanges() {
        java.util.BitSet set = new java.util.BitSet();
        set.set(0, 2);
        set.set(4);
        set.set(6, 9);
        assertEquals("0-1,4,6-8", XenCapabilities.ranges(set));
    }
}
