package org.jvirtd.model.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PoolCapabilitiesXmlTest {
    @Test
    void withDebiansBackendsTheDocumentIsLibvirtdsByteForByte() throws IOException {
        // virsh pool-capabilities against Debian 12's libvirtd 9.0 (its backends: these eight)
        String expected;
        try (InputStream in = getClass().getResourceAsStream("/storagepoolcaps/libvirtd-9.0-debian12.xml")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String xml = PoolCapabilitiesXml.format(Set.of("dir", "fs", "netfs", "logical", "disk", "iscsi", "scsi",
            "mpath"));
        assertEquals(expected.strip(), xml.strip());
    }

    @Test
    void aTypeWithoutBackendIsListedAsUnsupported() {
        String xml = PoolCapabilitiesXml.format(Set.of("dir"));
        assertTrue(xml.contains("<pool type='dir' supported='yes'>"), xml);
        assertTrue(xml.contains("<pool type='iscsi' supported='no'>"), xml);
    }
}
