package org.jvirtd.model.domain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The boot device libvirt 9.0 adds to an hvm definition that names none (read from its dumpxml). */
class OsBootTest {
    @Test
    void directKernelBootGetsTheDiskAsBootDeviceToo() {
        String xml = "<domain type='qemu'><name>k</name><memory>131072</memory><os><type arch='x86_64'>hvm</type>"
            + "<kernel>/vmlinuz</kernel><initrd>/initrd.img</initrd><cmdline>console=ttyS0</cmdline></os></domain>";
        String out = DomainXml.format(DomainXml.parse(xml), -1, DomainXml.INACTIVE);
        assertTrue(out.contains("""
                <kernel>/vmlinuz</kernel>
                <initrd>/initrd.img</initrd>
                <cmdline>console=ttyS0</cmdline>
                <boot dev='hd'/>
              </os>
            """), out);
    }
}
