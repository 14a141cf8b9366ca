package org.jvirtd.driver.qemu.internal.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BlockJobTest {
    @Test
    void runFactKeepsEveryFieldOfACopyWhosePathHoldsCommasTabsAndQuotes() {
        BlockJob job = new BlockJob("copy-vda-libvirt-1-format", "vda", 2, "libvirt-1-format", "libvirt-4-format",
            "/tmp/a,b\tc 'd'.qcow2", "qcow2", 4);
        job.ready = true;
        job.pivotRequested = true;
        String fact = job.fact();
        assertTrue(fact.matches("[^\\t']*"), fact);
        BlockJob back = BlockJob.parse(fact);
        assertEquals(job.fact(), back.fact());
        assertEquals("/tmp/a,b\tc 'd'.qcow2", back.mirrorFile);
        assertTrue(back.ready && back.pivotRequested && !back.abortRequested);
        assertEquals(4, back.mirrorIndex);
    }

    @Test
    void commitOfAnInnerLayerHasNoMirrorAndIsNotTwoPhase() {
        BlockJob back = BlockJob.parse(new BlockJob("commit-vda-block12", "vda", 3, null, null, null, null, 0).fact());
        assertNull(back.mirrorFile);
        assertNull(back.oldTop);
        assertEquals(false, back.twoPhase());
    }
}
