package org.jvirtd.driver.lxc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.domain.MemoryStat;
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
        List<MemoryStat> memory = conn.memoryStats(dom,
            MemoryStat.TAG_COUNT, 0);
        assertEquals(new MemoryStat(MemoryStat.ACTUAL_BALLOON, 65536),
            memory.get(0), memory.toString());
        long rss = memory.get(memory.size() - 1).value();
        assertTrue(rss > 0 && rss < 65536, "the container's memory cgroup usage: " + memory);

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


    /**
     * A shell as init: virsh console's pty shows its prompt and runs commands; ps inside sees the shell as
     * PID 1; a {@code <filesystem type='ram'>} is a tmpfs of its size; a child allocating beyond the 32 MiB limit is OOM-killed while init survives; suspend freezes the
     * container (a command typed meanwhile runs only after resume).
     */
    @Test
    void theConsoleRunsCommandsTheMemoryLimitHoldsAndTheFreezerSuspends() throws Exception {
        core = new CoreHarness(root);
        LxcDriver driver = new LxcDriver();
        core.bind(driver);
        Connection conn = core.open();
        String ram = "    <filesystem type='ram'><source usage='4' units='MiB'/><target dir='/mnt/ram'/></filesystem>\n";
        DomainRef dom = conn.define(BusyboxContainer.domainXml("jl-shell", rootfs, 32, "/bin/sh", ram), 0);
        conn.create(dom, 0);
        Map<String, String> facts = driver.runtimeOf(dom.uuid());
        Path pty = Path.of(facts.get(ContainerRun.CONSOLE));
        assertTrue(conn.xml(dom, 0).contains("<source path='" + pty + "'/>"), conn.xml(dom, 0));
        try (BusyboxContainer.Console console = new BusyboxContainer.Console(pty)) {
            console.type("echo answer-$((6*7))");
            console.await(BOOT, "answer-42");
            console.type("ps");
            java.util.regex.Pattern pidOne = java.util.regex.Pattern.compile("(?m)^\\s*1\\s+root\\s+/bin/sh\\s*$");
            console.await(Duration.ofSeconds(20), "ps showing the shell as PID 1",
                text -> pidOne.matcher(text.replace("\r", "")).find());

            console.type("grep /mnt/ram /proc/mounts");
            console.await(Duration.ofSeconds(20), "the RAM file system of 4 MiB",
                text -> text.matches("(?s).*tmpfs /mnt/ram tmpfs \\S*size=4096k.*"));

            console.type("sh -c 'x=$(head -c 100000000 /dev/zero | tr \"\\0\" a); echo survived'; echo rc=$?");
            // the kernel's reclaim before the OOM kill is slow on a loaded machine (it once took over 60 s)
            console.await(Duration.ofSeconds(180), "rc=");
            assertFalse(console.text().replace("\r", "").contains("\nsurvived\n"), "the child was not killed: "
                + console.text());
            assertTrue(console.text().contains("rc=137"), "the child was killed by SIGKILL: " + console.text());
            console.type("echo init-alive-$$");
            console.await(Duration.ofSeconds(20), "init-alive-1");
            ContainerCgroups cgroups = ContainerCgroups.parse(facts.get(ContainerRun.CGROUPS));
            Path memory = cgroups.dirs().stream().filter(d -> Files.exists(d.resolve("memory.oom_control")))
                .findFirst().orElseThrow();
            assertEquals(Long.toString(32L << 20), Files.readString(memory.resolve("memory.limit_in_bytes")).strip());
            assertTrue(Files.readString(memory.resolve("memory.oom_control")).matches("(?s).*oom_kill [1-9].*"),
                Files.readString(memory.resolve("memory.oom_control")));

            conn.suspend(dom);
            assertEquals(DomainState.PAUSED, conn.status(dom).state());
            Path freezer = cgroups.dirs().stream().filter(d -> Files.exists(d.resolve("freezer.state")))
                .findFirst().orElseThrow();
            assertEquals("FROZEN", Files.readString(freezer.resolve("freezer.state")).strip());
            console.type("echo after-$((1+1))-resume");
            Thread.sleep(1500);
            assertFalse(console.text().contains("after-2-resume"), "a frozen shell runs nothing");
            conn.resume(dom);
            assertEquals(DomainState.RUNNING, conn.status(dom).state());
            console.await(Duration.ofSeconds(20), "after-2-resume");
        }
        conn.destroy(dom, 0);
    }

    /** shutdown ends the container through its init (busybox runs its shutdown actions); reboot boots it anew. */
    @Test
    void rebootStartsANewInitAndShutdownEndsItThroughInit() throws Exception {
        core = new CoreHarness(root);
        LxcDriver driver = new LxcDriver();
        core.bind(driver);
        Connection conn = core.open();
        DomainRef dom = conn.define(BusyboxContainer.domainXml("jl-reboot", rootfs, 64, "/sbin/init", ""), 0);
        conn.create(dom, 0);
        Map<String, String> facts = driver.runtimeOf(dom.uuid());
        long firstInit = Long.parseLong(facts.get(ContainerRun.INIT_PID));
        long controller = Long.parseLong(facts.get(ContainerRun.CONTROLLER_PID));
        try (BusyboxContainer.Console console = new BusyboxContainer.Console(Path.of(facts.get(ContainerRun.CONSOLE)))) {
            console.await(BOOT, "CT-READY");
            conn.reboot(dom, 0);
            BusyboxContainer.await(BOOT, "a second boot", () -> console.text().split("CT-READY", -1).length >= 3);
            assertEquals(DomainState.RUNNING, conn.status(dom).state());
            long secondInit = Long.parseLong(driver.runtimeOf(dom.uuid()).get(ContainerRun.INIT_PID));
            assertNotEquals(firstInit, secondInit, "a new init");
            assertTrue(ProcessHandle.of(firstInit).isEmpty());
            assertEquals(Long.toString(controller), driver.runtimeOf(dom.uuid()).get(ContainerRun.CONTROLLER_PID));

            conn.shutdown(dom, 0);
            BusyboxContainer.await(Duration.ofSeconds(60), "shut off",
                () -> conn.status(dom).state() == DomainState.SHUTOFF);
            assertEquals(StateReason.SHUTOFF_SHUTDOWN, conn.status(dom).reason());
            assertTrue(ProcessHandle.of(secondInit).isEmpty());
        }
        BusyboxContainer.await(Duration.ofSeconds(30), "the controller to end",
            () -> ProcessHandle.of(controller).isEmpty());
        assertTrue(ContainerCgroups.parse(facts.get(ContainerRun.CGROUPS)).removed());
    }

    /** A daemon restart: the new driver instance reattaches to the same controller, and the console still works. */
    @Test
    void aRestartedCoreReattachesToTheSameController() throws Exception {
        core = new CoreHarness(root);
        LxcDriver first = new LxcDriver();
        core.bind(first);
        Connection conn = core.open();
        DomainRef dom = conn.define(BusyboxContainer.domainXml("jl-kept", rootfs, 64, "/bin/sh", ""), 0);
        conn.create(dom, 0);
        long controller = Long.parseLong(first.runtimeOf(dom.uuid()).get(ContainerRun.CONTROLLER_PID));
        first.deactivate();
        core = core.restart();
        LxcDriver second = new LxcDriver();
        core.bind(second);
        Connection again = core.open();
        DomainRef kept = again.lookupByName("jl-kept");
        assertEquals(DomainState.RUNNING, again.status(kept).state());
        Map<String, String> facts = second.runtimeOf(kept.uuid());
        assertEquals(Long.toString(controller), facts.get(ContainerRun.CONTROLLER_PID), "the same controller");
        try (BusyboxContainer.Console console = new BusyboxContainer.Console(Path.of(facts.get(ContainerRun.CONSOLE)))) {
            console.type("echo still-$((2*21))");
            console.await(Duration.ofSeconds(30), "still-42");
        }
        again.destroy(kept, 0);
        assertEquals(DomainState.SHUTOFF, again.status(kept).state());
        assertTrue(ProcessHandle.of(controller).isEmpty());
    }
}
