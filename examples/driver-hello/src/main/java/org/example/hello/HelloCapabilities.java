package org.example.hello;

/**
 * What the hello hypervisor advertises: guests of domain type none on x86_64.
 */
final class HelloCapabilities {
    static final String XML = """
        <capabilities>

          <host>
            <cpu>
              <arch>x86_64</arch>
            </cpu>
          </host>

          <guest>
            <os_type>hvm</os_type>
            <arch name='x86_64'>
              <wordsize>64</wordsize>
              <domain type='none'/>
            </arch>
          </guest>

        </capabilities>
        """;

    private HelloCapabilities() {
    }
}
