package org.jvirtd.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.connect.Hypervisors;
import org.jvirtd.api.domain.ConsoleStream;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainState;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * The LXC driver bundle is updated from a new jar while a busybox container runs: the container keeps its
 * controller process, and through the new driver instance its console still answers and destroy ends it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class LxcDriverUpdateIT extends JvirtdTestSupport {
    private static final URI LXC = URI.create("lxc:///system");

    @Override
    @Configuration
    public Option[] config() throws IOException {
        return OptionUtils.combine(super.config(), CoreOptions.bundle(
            Path.of(System.getProperty("jvirtd.bundles.dir"), "jvirtd-driver-lxc.jar").toUri().toString()));
    }

    @Test
    public void runningContainerSurvivesAnUpdateOfTheLxcDriverBundle() throws Exception {
        Path rootfs = rootfs();
        Hypervisors hypervisors = service(Hypervisors.class);
        Connection c = hypervisors.open(LXC, false);
        DomainRef ct = c.create(c.define(domainXml("updct", rootfs), 0), 0);
        try {
            long controller = controllerPid("updct");
            assertTrue("the controller runs as pid " + controller, ProcessHandle.of(controller).isPresent());
            assertTrue(typeAndRead(c, c.lookupByName("updct"), "echo before-$((20+1))", "before-21"));

            Bundle driver = installed("org.jvirtd.driver-lxc");
            updateAndRefresh(driver, withVersion("jvirtd-driver-lxc", "0.1.7"));
            assertEquals(new Version(0, 1, 7), driver.getVersion());
            assertEquals(Bundle.ACTIVE, driver.getState());

            DomainRef after = c.lookupByName("updct");
            assertEquals(ct.id(), after.id());
            assertEquals(DomainState.RUNNING, c.status(after).state());
            assertEquals("the container keeps its controller", controller, controllerPid("updct"));
            assertTrue("the console answers through the new driver",
                typeAndRead(c, after, "echo after-$((40+2))", "after-42"));

            c.destroy(after, 0);
            assertEquals("shut off (destroyed)", c.status(after).label());
            eventually("the controller ends", 30_000, () -> ProcessHandle.of(controller).isEmpty());
        } finally {
            if (c.isActive(c.lookupByName("updct"))) {
                c.destroy(c.lookupByName("updct"), 0);
            }
            c.close();
        }
    }

    /** Types a command on the container's console and waits up to 30 s for {@code answer}. */
    private static boolean typeAndRead(Connection c, DomainRef dom, String command, String answer) throws Exception {
        ConsoleStream console = c.openConsole(dom, null, 0);
        try {
            StringBuffer seen = new StringBuffer();
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[4096];
                try {
                    for (int n = console.read(buffer); n >= 0; n = console.read(buffer)) {
                        seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            reader.setDaemon(true);
            reader.start();
            // busybox ash may still wait for a terminal's answer to its cursor query and eat a first line: retype
            byte[] line = (command + "\n").getBytes(StandardCharsets.ISO_8859_1);
            for (int attempt = 0; attempt < 6; attempt++) {
                console.write(line, 0, line.length);
                long deadline = System.currentTimeMillis() + 5_000;
                while (System.currentTimeMillis() < deadline) {
                    if (seen.toString().contains("\n" + answer) || seen.toString().contains("\r" + answer)) {
                        return true;
                    }
                    Thread.sleep(50);
                }
            }
            throw new AssertionError("no '" + answer + "' on the console: " + seen);
        } finally {
            console.close();
        }
    }

    /** The controller pid among the runtime facts of the domain's status file (run/jvirtd/lxc/NAME.xml). */
    private long controllerPid(String name) throws IOException {
        Path status = Path.of(context.getProperty("jvirtd.root"), "run/jvirtd/lxc", name + ".xml");
        Matcher pid = Pattern.compile("<runtime key='controllerPid' value='(\\d+)'/>").matcher(Files.readString(status));
        if (!pid.find()) {
            throw new AssertionError("no controller pid in " + status);
        }
        return Long.parseLong(pid.group(1));
    }

    /** The shared fixtures' busybox root, built once into the module's target folder. */
    private static Path rootfs() throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("jvirtd.ct.cache"));
        if (!Files.exists(dir.resolve("etc/fixture-rootfs"))) {
            Path script = Path.of(System.getProperty("jvirtd.shared"), "fixtures", "make-ct-rootfs.sh");
            Process p = new ProcessBuilder(script.toString(), dir.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                throw new IOException("make-ct-rootfs.sh failed");
            }
        }
        return dir;
    }

    private static String domainXml(String name, Path rootfs) {
        return "<domain type='lxc'><name>" + name + "</name><memory unit='MiB'>64</memory>"
            + "<os><type>exe</type><init>/bin/sh</init></os><devices>"
            + "<filesystem type='mount'><source dir='" + rootfs + "'/><target dir='/'/></filesystem>"
            + "<console type='pty'/></devices></domain>";
    }
}
