package org.jvirtd.driver.qemu.internal.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;

class BackingChainXmlTest {
    private static final String LIVE = "<domain type='qemu' id='3'><name>vm</name><memory unit='KiB'>131072</memory>"
        + "<vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
        + "<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='none'/>"
        + "<source file='/i/top.qcow2'/><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk>"
        + "</devices></domain>";
    private static final List<DiskChain.Layer> CHAIN = List.of(
        new DiskChain.Layer("libvirt-1-format", "/i/top.qcow2", "qcow2", 1 << 26),
        new DiskChain.Layer("#block123", "/i/base.raw", "raw", 1 << 26));

    private static String disk(String xml) {
        return xml.substring(xml.indexOf("<disk"), xml.indexOf("</disk>") + 7).replaceAll(">\\s+<", "><");
    }

    @Test
    void chainOfTwoImagesNestsTheBackingImageAndEndsWithAnEmptyBackingStore() {
        assertEquals("<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='none'/>"
            + "<source file='/i/top.qcow2' index='1'/><backingStore type='file' index='2'><format type='raw'/>"
            + "<source file='/i/base.raw'/><backingStore/></backingStore><target dev='vda' bus='virtio'/>"
            + "<alias name='virtio-disk0'/></disk>", disk(BackingChainXml.apply(LIVE, 3, 0, CHAIN, null)));
    }

    @Test
    void runningCopyShowsItsMirrorWithTheLegacyAttributesAndItsOwnChainEnd() {
        String xml = BackingChainXml.apply(LIVE, 3, 0, CHAIN,
            new BackingChainXml.Mirror("copy", "/i/copy.qcow2", "qcow2", 3, true, true));
        assertEquals("<mirror type='file' file='/i/copy.qcow2' format='qcow2' job='copy' ready='yes'>"
            + "<format type='qcow2'/><source file='/i/copy.qcow2' index='3'/><backingStore/></mirror>"
            + "<target dev='vda' bus='virtio'/>", disk(xml).replaceAll(".*</backingStore>(<mirror.*<target[^>]*>).*", "$1"));
    }

    @Test
    void activeCommitMirrorNamesTheBaseWithoutLegacyAttributesAndTheEndRemovesIt() {
        String running = BackingChainXml.apply(LIVE, 3, 0, CHAIN,
            new BackingChainXml.Mirror("active-commit", "/i/base.raw", "raw", 2, false, false));
        String disk = disk(running);
        assertEquals("<mirror type='file' job='active-commit'><format type='raw'/><source file='/i/base.raw' "
            + "index='2'/></mirror>", disk.substring(disk.indexOf("<mirror"), disk.indexOf("</mirror>") + 9));
        String ended = BackingChainXml.apply(running, 3, 0, List.of(CHAIN.get(1)), null);
        assertFalse(ended.contains("<mirror"));
        assertEquals("<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
            + "<source file='/i/base.raw' index='1'/><backingStore/><target dev='vda' bus='virtio'/>"
            + "<alias name='virtio-disk0'/></disk>", disk(ended));
    }
}
