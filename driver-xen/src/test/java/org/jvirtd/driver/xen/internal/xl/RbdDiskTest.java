package org.jvirtd.driver.xen.internal.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * An RBD disk with several monitors (one IPv6, ports on some) through xl.cfg and back: the target string with
 * libvirt's escapes, and the same domain XML again.
 */
class RbdDiskTest {
    private static final String XML = "<domain type='xen'>\n  <name>rbd</name>\n"
        + "  <uuid>c7a5fdb2-cdaf-9455-926a-d65c16db1809</uuid>\n  <memory unit='KiB'>524288</memory>\n"
        + "  <currentMemory unit='KiB'>524288</currentMemory>\n  <vcpu placement='static'>1</vcpu>\n"
        + "  <os>\n    <type arch='x86_64' machine='xenpv'>linux</type>\n    <kernel>/boot/vmlinuz</kernel>\n"
        + "  </os>\n  <clock offset='utc' adjustment='reset'/>\n  <on_poweroff>destroy</on_poweroff>\n"
        + "  <on_reboot>restart</on_reboot>\n  <on_crash>restart</on_crash>\n  <devices>\n"
        + "    <disk type='network' device='disk'>\n      <driver name='qemu' type='raw'/>\n"
        + "      <source protocol='rbd' name='pool/image'>\n"
        + "        <host name='mon1.example.org' port='6321'/>\n        <host name='mon2.example.org'/>\n"
        + "        <host name='2001:db8::1' port='6322'/>\n      </source>\n"
        + "      <target dev='xvda' bus='xen'/>\n    </disk>\n    <controller type='xenbus' index='0'/>\n"
        + "    <console type='pty'>\n      <target type='xen' port='0'/>\n    </console>\n"
        + "    <input type='mouse' bus='xen'/>\n    <input type='keyboard' bus='xen'/>\n"
        + "    <memballoon model='xen'/>\n  </devices>\n</domain>\n";

    @Test
    void anRbdDiskGoesToXlWithEscapedMonitorsAndComesBack() {
        String cfg = XlConversion.toXlConfig(XML);
        assertTrue(cfg.contains("disk = [ \"format=raw,vdev=xvda,access=rw,backendtype=qdisk,target=rbd:pool/image"
            + ":auth_supported=none:mon_host=mon1.example.org\\\\:6321\\\\;mon2.example.org\\\\;[2001\\:db8\\:\\:1]"
            + "\\\\:6322\" ]\n"), cfg);
        assertEquals(XML, XlConversion.toDomainXml(cfg));
    }
}
