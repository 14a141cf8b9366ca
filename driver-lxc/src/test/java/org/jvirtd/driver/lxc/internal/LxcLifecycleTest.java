package org.jvirtd.driver.lxc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.domain.StateReason;
import org.jvirtd.core.internal.CoreHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The busybox container through core's real domain list: init as PID 1 of its own namespaces, the console,
 * destroy leaving nothing behind.
 */
class LxcLifecycleTest {
    private static final Duration BOOT = Duration.ofSeconds(60);
    private static Path rootfs;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path root;
    private CoreHarness core;

    @BeforeAll
    static void buildRootfs() throws Exception {
        rootfs = BusyboxContainer.build();
    }

    /** A test that failed half way must not leave its container running. */
    @AfterEach
    void stopCore() {
        if (core == null) {
            return;
        }
        try {
            Connection conn = core.open();
            for (DomainRef dom : conn.listAllDomains(0)) {
                if (conn.isActive(dom)) {
                    conn.destroy(dom, 0);
                }
            }
        } finally {
            core.close();
        }
    }

    @Test
    void initRunsAsPidOneOfItsOwnNamespacesAndDestroyLeavesNothingBehind() throws Exception {
        core = new CoreHarness(root);
        LxcDriver driver = new LxcDriver();
        core.bind(driver);
        Connection conn = core.open();
        DomainRef dom = conn.define(BusyboxContainer.domainXml("jl-boot", rootfs, 64, "/sbin/init", ""), 0);
        conn.create(dom, 0);
        assertEquals(DomainState.RUNNING, conn.status(dom).state());

        Map<String, String> facts = driver.runtimeOf(dom.uuid());
        long init = Long.parseLong(facts.get(ContainerRun.INIT_PID));
        assertEquals("init", Files.readString(Path.of("/proc", Long.toString(init), "comm")).strip());
        for (String ns : new String[] {"pid", "mnt", "uts", "ipc", "net"}) {
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns", ns)),
                Files.readSymbolicLink(Path.of("/proc", Long.toString(init), "ns", ns)), ns + " namespace");
        }
        try (BusyboxContainer.Console console = new BusyboxContainer.Console(Path.of(facts.get(ContainerRun.CONSOLE)))) {
            console.await(BOOT, "CT-READY hostname=jl-boot pid1=init");
        }
        ContainerCgroups cgroups = ContainerCgroups.parse(facts.get(ContainerRun.CGROUPS));
        assertFalse(cgroups.dirs().isEmpty());
        assertTrue(cgroups.removed() == false, "cgroups exist while it runs");
        String procs = Files.readString(cgroups.dirs().get(0).resolve("cgroup.procs"));
        assertTrue(procs.contains(Long.toString(init)), "init in the container's cgroup: " + procs);
        assertTrue(conn.info(dom).cpuTimeNanos() > 0, "CPU time from cpuacct");

        long controller = Long.parseLong(facts.get(ContainerRun.CONTROLLER_PID));
        conn.destroy(dom, 0);
        assertEquals(DomainState.SHUTOFF, conn.status(dom).state());
        assertEquals(StateReason.SHUTOFF_DESTROYED, conn.status(dom).reason());
        assertTrue(ProcessHandle.of(controller).isEmpty(), "the controller ended");
        assertTrue(ProcessHandle.of(init).isEmpty(), "init ended");
        assertTrue(cgroups.removed(), "no cgroup left: " + cgroups);
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(rootfs.toString()),
            "no mount of the root left on the host");
    }

}
