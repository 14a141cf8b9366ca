package org.jvirtd.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jvirtd.api.VirtException;
import org.jvirtd.model.capabilities.CapabilitiesDef;
import org.jvirtd.model.capabilities.CapabilitiesXml;
import org.junit.jupiter.api.Test;

class CapabilitiesXmlTest {
    @Test
    void capabilitiesSurviveARoundTrip() {
        String xml = "<capabilities>\n\n  <host>\n    <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>\n"
            + "    <cpu>\n      <arch>x86_64</arch>\n    </cpu>\n  </host>\n\n  <guest>\n    <os_type>hvm</os_type>\n"
            + "    <arch name='x86_64'>\n      <wordsize>64</wordsize>\n"
            + "      <emulator>/usr/bin/qemu-system-x86_64</emulator>\n      <machine>pc</machine>\n"
            + "      <domain type='qemu'/>\n      <domain type='kvm'/>\n    </arch>\n  </guest>\n\n</capabilities>\n";
        CapabilitiesDef def = CapabilitiesXml.parse(xml);
        assertEquals(2, def.guests().get(0).domainTypes().size());
        assertEquals(xml, CapabilitiesXml.format(def));
    }

    @Test
    void capabilitiesWithoutHostAreRejected() {
        assertThrows(VirtException.class, () -> CapabilitiesXml.parse("<capabilities/>"));
    }
}
