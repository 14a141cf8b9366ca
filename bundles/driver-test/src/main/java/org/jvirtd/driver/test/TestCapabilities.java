package org.jvirtd.driver.test;

/**
 * The capabilities the test hypervisor advertises: one x86_64 host, hvm guests of domain type test.
 */
final class TestCapabilities {
    static final String XML = """
        <capabilities>

          <host>
            <cpu>
              <arch>x86_64</arch>
            </cpu>
            <power_management/>
            <iommu support='no'/>
            <topology>
              <cells num='1'>
                <cell id='0'>
                  <memory unit='KiB'>8388608</memory>
                  <cpus num='2'>
                    <cpu id='0' socket_id='0' die_id='0' core_id='0' siblings='0'/>
                    <cpu id='1' socket_id='0' die_id='0' core_id='1' siblings='1'/>
                  </cpus>
                </cell>
              </cells>
            </topology>
          </host>

          <guest>
            <os_type>hvm</os_type>
            <arch name='x86_64'>
              <wordsize>64</wordsize>
              <emulator>/usr/bin/test-hv</emulator>
              <domain type='test'/>
            </arch>
            <features>
              <pae/>
              <nonpae/>
            </features>
          </guest>

        </capabilities>
        """;

    private TestCapabilities() {
    }
}
