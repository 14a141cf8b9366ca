package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.event.DomainEvent;
import org.jvirtd.api.event.DomainEventListener;
import org.jvirtd.api.event.TunableEvent;
import org.jvirtd.core.internal.CoreHarness;
import org.jvirtd.testing.Prerequisite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The events libvirt's QEMU driver sends that the tiny guest can show under TCG, in the order libvirtd 9.0 sent
 * them for the same calls: a TUNABLE event for each live vcpupin, emulatorpin, iothreadpin, schedinfo and
 * blkdeviotune (none for a --config only pin), and "Suspended Paused" / "Resumed Snapshot" around a save and a
 * restore of a running guest.
 */
class QemuTunableEventsTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path root;
    private CoreHarness core;

    @AfterEach
    void stopCore() {
        if (core != null) {
            Connection conn = core.open();
            for (DomainRef dom : conn.listAllDomains(0)) {
                if (conn.isActive(dom)) {
                    conn.destroy(dom, 0);
                }
            }
            core.close();
        }
    }

    @Test
    void liveTuningIsReportedAndSaveRestoreCarryThePause() throws Exception {
        Prerequisite.requirePrograms("qemu-system-x86_64");
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        Path disk = root.resolve("disk.raw");
        Files.write(disk, new byte[1 << 20]);
        DomainRef dom = conn.define(TinyGuest.domainXml("jq-tunable", TinyGuest.build(), root.resolve("c.log"))
            .replace("<vcpu>1</vcpu>", "<vcpu>2</vcpu><iothreads>1</iothreads>")
            .replace("<memballoon model='none'/>", "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
                + "<source file='" + disk + "'/><target dev='vda' bus='virtio'/></disk><memballoon model='none'/>"), 0);
        conn.create(dom, 0);
        List<String> seen = new CopyOnWriteArrayList<>();
        AutoCloseable subscription = conn.subscribe(new DomainEventListener() {
            @Override
            public void onDomainEvent(DomainEvent event) {
                seen.add(event.type().label() + " " + event.type().detailLabel(event.detail()));
            }

            @Override
            public void onTunable(TunableEvent event) {
                seen.add(event.describe().replace("\n\t", " | "));
            }
        });
        BitSet cpu0 = new BitSet();
        cpu0.set(0);
        int live = DomainFlags.AFFECT_LIVE;
        conn.pinVcpu(dom, 1, cpu0, live);
        conn.pinVcpu(dom, 1, cpu0, DomainFlags.AFFECT_CONFIG);
        conn.pinEmulator(dom, cpu0, live);
        conn.pinIothread(dom, 1, cpu0, live);
        conn.setBlockIoTune(dom, "vda", List.of(TypedParameter.ofUllong("total_bytes_sec", 1000000)), live);
        String tunable = "event 'tunable' for domain 'jq-tunable': | ";
        List<String> expected = new java.util.ArrayList<>(List.of(tunable + "cputune.vcpupin1: 0",
            tunable + "cputune.emulatorpin: 0", tunable + "cputune.iothreadpin1: 0",
            tunable + "blkdeviotune.disk: vda | blkdeviotune.total_bytes_sec: 1000000"));
        if (schedulerWorks(conn, dom)) {
            expected.add(tunable + "cputune.cpu_shares: 512");
        }
        TinyGuest.await(Duration.ofSeconds(10), "the tunable events", () -> seen.size() >= expected.size());
        assertEquals(expected, seen);

        seen.clear();
        Path image = root.resolve("jq-tunable.save");
        conn.save(dom, image.toString(), null, 0);
        conn.restore(image.toString(), null, 0);
        TinyGuest.await(Duration.ofSeconds(10), "the save and restore events", () -> seen.size() >= 4);
        assertEquals(List.of("Suspended Paused", "Stopped Saved", "Started Restored", "Resumed Snapshot"), seen);
        subscription.close();
    }

    /** schedinfo needs the cgroup cpu controller; where it is, its live change is an event too. */
    private static boolean schedulerWorks(Connection conn, DomainRef dom) {
        try {
            conn.setSchedulerParameters(dom, List.of(TypedParameter.ofUllong("cpu_shares", 512)),
                DomainFlags.AFFECT_LIVE);
            return true;
        } catch (org.jvirtd.api.VirtException e) {
            return false;
        }
    }
}
