package org.jvirtd.model.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;

/**
 * A scsi_host adapter's parentaddr unique_id. Found by PoolXmlFuzzTest: a value that is no number ("5"
 * followed by DEL characters) escaped the parser as a NumberFormatException instead of an XML error. The
 * message is libvirt 9.0's (virsh -c test:///default pool-define).
 */
class PoolAdapterUniqueIdTest {
    private static String pool(String uniqueId) {
        return "<pool type='scsi'><name>p</name><source><adapter type='scsi_host'>"
            + "<parentaddr unique_id='" + uniqueId + "'><address domain='0x0000' bus='0x00' slot='0x1f' function='0x2'/>"
            + "</parentaddr></adapter></source><target><path>/dev/disk/by-path</path></target></pool>";
    }

    @ParameterizedTest
    @ValueSource(strings = {"5\u007f\u007f", "x", "-1", "99999999999"})
    void aUniqueIdThatIsNoNonNegativeIntIsAnXmlError(String uniqueId) {
        VirtException e = assertThrows(VirtException.class, () -> PoolXml.parse(pool(uniqueId)));
        assertEquals(ErrorCode.XML_ERROR, e.code());
        assertEquals("XML error: Missing or invalid scsi adapter 'unique_id' value", e.getMessage());
    }

    @Test
    void aNumberStillParses() {
        PoolXml.parse(pool("2"));
    }
}
