package org.jvirtd.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.connect.Hypervisors;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.event.DomainEvent;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * The QEMU driver bundle is updated from a new jar while a real guest (TCG) runs: the guest keeps its
 * QEMU process, and the new driver instance shuts it down by ACPI, with the events.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class QemuDriverUpdateIT extends QemuTestSupport {
    private static final URI QEMU = URI.create("qemu:///system");

    @Test
    public void runningGuestSurvivesAnUpdateOfTheQemuDriverBundle() throws Exception {
        Path work = Files.createTempDirectory(Path.of(System.getProperty("jvirtd.itest.dir")), "qemu");
        Path guest = tinyGuest();
        Path console = work.resolve("console.log");
        Hypervisors hypervisors = service(Hypervisors.class);
        Connection c = hypervisors.open(QEMU, false);
        List<DomainEvent> events = new CopyOnWriteArrayList<>();
        AutoCloseable subscription = c.subscribe(events::add);
        DomainRef vm = c.create(c.define(domainXml("updvm", guest, console), 0), 0);
        try {
            eventually("the guest boots to GUEST-READY", 120_000, () -> read(console).contains("GUEST-READY"));
            long pid = qemuPid(vm.name());
            assertTrue("QEMU runs as pid " + pid, qemuRuns(pid, "updvm"));

            Bundle driver = installed("org.jvirtd.driver-qemu");
            updateAndRefresh(driver, withVersion("jvirtd-driver-qemu", "0.1.7"));
            assertEquals(new Version(0, 1, 7), driver.getVersion());
            assertEquals(Bundle.ACTIVE, driver.getState());

            DomainRef after = c.lookupByName("updvm");
            assertEquals(vm.id(), after.id());
            assertEquals(DomainState.RUNNING, c.status(after).state());
            assertEquals("the guest keeps its QEMU process", pid, qemuPid(vm.name()));
            assertTrue("QEMU pid " + pid + " still runs the guest after the update", qemuRuns(pid, "updvm"));

            c.shutdown(after, 0);
            eventually("ACPI shutdown through the new driver ends in shut off", 60_000,
                () -> c.status(after).state() == DomainState.SHUTOFF);
            assertEquals("shut off (shutdown)", c.status(after).label());
            eventually("the Stopped Shutdown event arrives", 10_000, () -> events.stream()
                .anyMatch(e -> e.describe().equals("event 'lifecycle' for domain 'updvm': Stopped Shutdown")));
            eventually("QEMU exits", 10_000, () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        } finally {
            if (c.isActive(c.lookupByName("updvm"))) {
                c.destroy(c.lookupByName("updvm"), 0);
            }
            subscription.close();
            c.close();
        }
    }

    /** The QEMU pid among the runtime facts of the domain's status file (run/jvirtd/qemu/NAME.xml). */
    private long qemuPid(String name) throws IOException {
        Path status = Path.of(context.getProperty("jvirtd.root"), "run/jvirtd/qemu", name + ".xml");
        Matcher pid = Pattern.compile("<runtime key='pid' value='(\\d+)'/>").matcher(Files.readString(status));
        if (!pid.find()) {
            throw new AssertionError("no pid in " + status);
        }
        return Long.parseLong(pid.group(1));
    }

    private static String domainXml(String name, Path guest, Path console) {
        return "<domain type='qemu'><name>" + name + "</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>"
            + "<os><type arch='x86_64' machine='pc'>hvm</type><kernel>" + guest.resolve("vmlinuz") + "</kernel>"
            + "<initrd>" + guest.resolve("initrd.img") + "</initrd><cmdline>console=ttyS0 fixture.net=off</cmdline>"
            + "</os><features><acpi/></features><devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
            + "<serial type='file'><source path='" + console + "' append='on'/><target port='0'/></serial>"
            + "<memballoon model='none'/></devices></domain>";
    }
}
