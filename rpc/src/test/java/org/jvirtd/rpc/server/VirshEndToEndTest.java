package org.jvirtd.rpc.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.rpc.testing.Processes.Result;

/**
 * The real virsh (libvirt-clients 9.0.0) drives a domain through its whole life over the remote
 * driver against the in-process server, command by command as protocol.md §4 lists them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VirshEndToEndTest {
    static final String NAME = "vm1";
    static final String UUID = "6f1d3c0a-8e52-4b7d-9a13-0c2e4f5a6b70";
    static final String XML = "<domain type='test'><name>" + NAME + "</name><uuid>" + UUID + "</uuid>"
        + "<memory unit='KiB'>131072</memory><currentMemory unit='KiB'>131072</currentMemory><vcpu>1</vcpu>"
        + "<os><type arch='x86_64'>hvm</type></os></domain>";

    static InProcessDaemon daemon;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        daemon = new InProcessDaemon(ServerSettings.defaults());
        work = Files.createTempDirectory("jvirtd-virsh");
        Files.writeString(work.resolve("vm1.xml"), XML);
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    static Result virsh(String... args) throws Exception {
        return Processes.virsh(daemon.uri(), args);
    }

    static String ok(String... args) throws Exception {
        Result result = virsh(args);
        assertEquals(0, result.exitCode(), () -> String.join(" ", args) + ": " + result);
        return result.stdout();
    }

    @Test
    @Order(1)
    void versionReportsTheTestDriver() throws Exception {
        String out = ok("version");
        assertTrue(out.contains("Using API: TEST 9.0.0"), out);
        assertTrue(out.contains("Running hypervisor: TEST"), out);
    }

    @Test
    @Order(2)
    void hostnameAndCapabilities() throws Exception {
        assertNotEquals("", ok("hostname").trim());
        assertTrue(ok("capabilities").contains("<capabilities>"));
    }

    @Test
    @Order(3)
    void defineThenListShowsTheDomainShutOff() throws Exception {
        assertEquals("Domain 'vm1' defined from " + work.resolve("vm1.xml"),
            ok("define", work.resolve("vm1.xml").toString()).trim());
        String list = ok("-q", "list", "--all");
        assertTrue(list.matches("(?s)\\s*-\\s+vm1\\s+shut off\\s*"), list);
        assertEquals("shut off", ok("domstate", NAME).trim());
    }

    @Test
    @Order(4)
    void dominfoOfADefinedDomain() throws Exception {
        String info = ok("dominfo", NAME);
        assertTrue(info.contains("Name:           vm1"), info);
        assertTrue(info.contains("UUID:           " + UUID), info);
        assertTrue(info.contains("State:          shut off"), info);
        assertTrue(info.contains("Persistent:     yes"), info);
        assertTrue(info.contains("Autostart:      disable"), info);
    }

    @Test
    @Order(5)
    void dumpxmlReturnsTheDefinition() throws Exception {
        String xml = ok("dumpxml", NAME);
        assertTrue(xml.contains("<name>vm1</name>") && xml.contains(UUID), xml);
    }

    @Test
    @Order(6)
    void startSuspendResume() throws Exception {
        assertEquals("Domain 'vm1' started", ok("start", NAME).trim());
        assertEquals("running", ok("domstate", NAME).trim());
        assertEquals("Domain 'vm1' suspended", ok("suspend", NAME).trim());
        assertEquals("paused", ok("domstate", NAME).trim());
        assertEquals("Domain 'vm1' resumed", ok("resume", NAME).trim());
        String list = ok("-q", "list");
        assertTrue(list.matches("(?s)\\s*\\d+\\s+vm1\\s+running\\s*"), list);
    }

    @Test
    @Order(7)
    void saveAndRestore() throws Exception {
        Path image = work.resolve("vm1.save");
        assertEquals("Domain 'vm1' saved to " + image, ok("save", NAME, image.toString()).trim());
        assertEquals("shut off", ok("domstate", NAME).trim());
        assertEquals("Domain restored from " + image, ok("restore", image.toString()).trim());
        assertEquals("running", ok("domstate", NAME).trim());
    }

    @Test
    @Order(8)
    void managedSaveThenStartRestores() throws Exception {
        assertEquals("Domain 'vm1' state saved by libvirt", ok("managedsave", NAME).trim());
        assertTrue(ok("dominfo", NAME).contains("Managed save:   yes"));
        assertEquals("Domain 'vm1' started", ok("start", NAME).trim());
        assertEquals("running", ok("domstate", NAME).trim());
    }

    @Test
    @Order(9)
    void autostartOnAndOff() throws Exception {
        assertEquals("Domain 'vm1' marked as autostarted", ok("autostart", NAME).trim());
        assertTrue(ok("dominfo", NAME).contains("Autostart:      enable"));
        assertEquals("Domain 'vm1' unmarked as autostarted", ok("autostart", "--disable", NAME).trim());
    }

    @Test
    @Order(10)
    void readOnlyCanListButNotDefine() throws Exception {
        Result list = Processes.virsh(daemon.readOnlyUri(), "-q", "list", "--all");
        assertEquals(0, list.exitCode(), list.toString());
        assertTrue(list.stdout().contains("vm1"));
        Result define = Processes.virsh(daemon.readOnlyUri(), "define", work.resolve("vm1.xml").toString());
        assertEquals(1, define.exitCode());
        assertTrue(define.stderr().contains("operation forbidden: read only access prevents virDomainDefineXML"),
            define.stderr());
    }

    @Test
    @Order(11)
    void eventAllPrintsLifecycleEventsOfAnotherClient() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("virsh", "-c", daemon.uri(), "event", "--all", "--loop",
            "--timeout", "4");
        builder.environment().put("LC_ALL", "C");
        int before = daemon.eventSubscriptionsMade();
        Process events = builder.start();
        await("virsh event --all registers its callbacks").atMost(Duration.ofSeconds(10))
            .until(() -> daemon.eventSubscriptionsMade() > before);
        ok("destroy", NAME);
        ok("start", NAME);
        assertTrue(events.waitFor(20, TimeUnit.SECONDS));
        String out = new String(events.getInputStream().readAllBytes());
        List<String> lines = new ArrayList<>(out.lines().filter(l -> l.startsWith("event")).toList());
        assertTrue(lines.contains("event 'lifecycle' for domain 'vm1': Stopped Destroyed"), out);
        assertTrue(lines.contains("event 'lifecycle' for domain 'vm1': Started Booted"), out);
    }

    @Test
    @Order(12)
    void destroyAndUndefine() throws Exception {
        assertEquals("Domain 'vm1' destroyed", ok("destroy", NAME).trim());
        assertEquals("Domain 'vm1' has been undefined", ok("undefine", NAME).trim());
        assertEquals("", ok("-q", "list", "--all").trim());
    }

    @Test
    @Order(13)
    void missingDomainByUuidReportsNotFound() throws Exception {
        Result result = virsh("dominfo", UUID);
        assertEquals(1, result.exitCode());
        assertTrue(result.stderr().contains("failed to get domain '" + UUID + "'"), result.stderr());
    }

    @Test
    @Order(14)
    void unimplementedCallSaysNotSupported() throws Exception {
        ok("define", work.resolve("vm1.xml").toString());
        // AMD SEV launch security: no host here has it
        Result result = virsh("domlaunchsecinfo", NAME);
        assertEquals(1, result.exitCode());
        assertTrue(result.stderr().contains("error: this function is not supported by the connection driver: "
            + "virDomainGetLaunchSecurityInfo"), result.stderr());
        ok("undefine", NAME);
    }
}
