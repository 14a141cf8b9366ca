package org.jvirtd.model.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;

/**
 * The vcpus bitmaps of cachetune and memorytune. Found by DomainXmlFuzzTest: a backwards range ("5-1")
 * escaped the parser as an IndexOutOfBoundsException instead of libvirt's XML error.
 */
class CpuTuneBitmapTest {
    private static String domain(String vcpus) {
        return "<domain type='kvm'><name>t</name><memory>1024</memory><vcpu>4</vcpu><cputune>"
            + "<memorytune vcpus='" + vcpus + "'><node id='0' bandwidth='20'/></memorytune></cputune></domain>";
    }

    @ParameterizedTest
    @ValueSource(strings = {"5-1", "0-2147483647", "2147483647", "0,^3-1", "1024"})
    void aRangeBackwardsOrPastTheBoundIsAnXmlError(String vcpus) {
        VirtException e = assertThrows(VirtException.class, () -> DomainXml.parse(domain(vcpus)));
        assertEquals(ErrorCode.XML_ERROR, e.code());
        assertEquals("XML error: Invalid value '" + vcpus + "' for attribute 'vcpus'", e.getMessage());
    }

    @Test
    void aForwardRangeStillParses() {
        assertEquals("0-3", CpuTuneRules.format(CpuTuneRules.parseSet("0-3")));
        assertEquals("0-1,3", CpuTuneRules.format(CpuTuneRules.parseSet("0-3,^2")));
    }
}
