package org.jvirtd.rpc.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.rpc.testing.Processes.Result;

/**
 * virsh desc and metadata (virDomainSetMetadata/GetMetadata) against a test-driver domain, with the output,
 * XML, errors and metadata-change events libvirtd 9.0 gave for the same commands (recorded with
 * ../shared/tools/peer-libvirtd.sh on its test driver).
 */
class VirshMetadataTest {
    static final String XML = "<domain type='test'><name>vm1</name><uuid>6f1d3c0a-8e52-4b7d-9a13-0c2e4f5a6b71</uuid>"
        + "<memory unit='KiB'>131072</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>";

    private static Result virsh(InProcessDaemon daemon, String... args) throws Exception {
        return Processes.virsh(daemon.uri(), args);
    }

    private static String ok(InProcessDaemon daemon, String... args) throws Exception {
        Result result = virsh(daemon, args);
        assertEquals(0, result.exitCode(), () -> String.join(" ", args) + ": " + result);
        return result.stdout();
    }

    private static InProcessDaemon withDomain(Path root) throws Exception {
        InProcessDaemon daemon = root == null ? new InProcessDaemon(ServerSettings.defaults())
            : new InProcessDaemon(ServerSettings.defaults(), root);
        Path file = daemon.root().resolve("vm1.xml");
        Files.writeString(file, XML);
        ok(daemon, "define", file.toString());
        return daemon;
    }

    @Test
    void titleDescriptionAndElementSetGetRemoveAndShowInDumpxml() throws Exception {
        try (InProcessDaemon daemon = withDomain(null)) {
            assertEquals("No description for domain: vm1\n", ok(daemon, "desc", "vm1"));
            assertEquals("No title for domain: vm1\n", ok(daemon, "desc", "vm1", "--title"));
            Result missing = virsh(daemon, "metadata", "vm1", "http://ex.org/");
            assertEquals(1, missing.exitCode());
            assertTrue(missing.stderr().contains(
                "error: metadata not found: Requested metadata element is not present"), missing.toString());

            assertEquals("Domain description updated successfully\n", ok(daemon, "desc", "vm1", "--new-desc", "a&<b"));
            assertEquals("a&<b\n", ok(daemon, "desc", "vm1"));
            assertEquals("Domain title updated successfully\n",
                ok(daemon, "desc", "vm1", "--title", "--new-desc", "My title"));
            assertEquals("My title\n", ok(daemon, "desc", "vm1", "--title"));
            assertTrue(ok(daemon, "list", "--title", "--all").contains("vm1    shut off   My title"));
            assertEquals("Metadata modified\n\n",
                ok(daemon, "metadata", "vm1", "http://ex.org/", "--key", "ex", "--set", "<foo a=\"1\"><bar/></foo>"));
            assertEquals("<foo a=\"1\">\n  <bar/>\n</foo>\n\n", ok(daemon, "metadata", "vm1", "http://ex.org/"));
            String dump = ok(daemon, "dumpxml", "vm1");
            assertTrue(dump.contains("  <uuid>6f1d3c0a-8e52-4b7d-9a13-0c2e4f5a6b71</uuid>\n  <title>My title</title>\n"
                + "  <description>a&amp;&lt;b</description>\n  <metadata>\n"
                + "    <ex:foo xmlns:ex=\"http://ex.org/\" a=\"1\">\n      <ex:bar/>\n    </ex:foo>\n  </metadata>\n"
                + "  <memory unit='KiB'>131072</memory>\n"), dump);

            assertEquals("Metadata removed\n\n", ok(daemon, "metadata", "vm1", "http://ex.org/", "--remove"));
            assertEquals(1, virsh(daemon, "metadata", "vm1", "http://ex.org/").exitCode());
            assertTrue(ok(daemon, "dumpxml", "vm1").contains("  <metadata/>\n"));
            ok(daemon, "desc", "vm1", "--title", "--new-desc", "");
            assertEquals("No title for domain: vm1\n", ok(daemon, "desc", "vm1", "--title"));
        }
    }

    @Test
    void errorsAsLibvirtd() throws Exception {
        try (InProcessDaemon daemon = withDomain(null)) {
            Result badXml = virsh(daemon, "metadata", "vm1", "http://ex.org/", "--key", "ex", "--set", "<foo");
            assertEquals(1, badXml.exitCode());
            // libvirtd words the parse error as libxml2 does ("Couldn't find end of Start Tag foo line 1"), jvirtd as the JDK
            assertTrue(badXml.stderr().startsWith("error: (metadata_xml):1: "),
                badXml.toString());
            Result badKey = virsh(daemon, "metadata", "vm1", "http://ex.org/", "--key", "bad key", "--set", "<foo/>");
            assertTrue(badKey.stderr().contains(
                "error: internal error: failed to validate prefix for a new XML namespace"), badKey.toString());
            Result live = virsh(daemon, "desc", "vm1", "--live", "--new-desc", "x");
            assertTrue(live.stderr().contains("error: Requested operation is not valid: domain is not running"),
                live.toString());
            Result readOnly = Processes.virsh(daemon.readOnlyUri(), "desc", "vm1", "--new-desc", "x");
            assertTrue(readOnly.stderr().contains("error: Failed to set new domain description\n"
                + "error: operation forbidden: read only access prevents virDomainSetMetadata"), readOnly.toString());
            assertEquals("No description for domain: vm1\n",
                Processes.virsh(daemon.readOnlyUri(), "desc", "vm1").stdout());
        }
    }

    @Test
    void liveAndConfigApartOnARunningDomainAndConfigSurvivesARestart() throws Exception {
        InProcessDaemon daemon = withDomain(null);
        Path root = daemon.root();
        try {
            ok(daemon, "start", "vm1");
            ok(daemon, "desc", "vm1", "--live", "--new-desc", "live-only");
            assertEquals("No description for domain: vm1\n", ok(daemon, "desc", "vm1", "--config"));
            assertEquals("live-only\n", ok(daemon, "desc", "vm1", "--live"));
            ok(daemon, "desc", "vm1", "--config", "--new-desc", "cfg");
            assertEquals("cfg\n", ok(daemon, "desc", "vm1", "--config"));
            assertEquals("live-only\n", ok(daemon, "desc", "vm1"));
            ok(daemon, "metadata", "vm1", "http://ex.org/", "--key", "ex", "--set", "<foo/>", "--config");
            ok(daemon, "destroy", "vm1");
            assertEquals("cfg\n", ok(daemon, "desc", "vm1"));
        } finally {
            // the second daemon starts over this one's files, as after a daemon restart
            daemon.stopKeepingState();
        }
        try (InProcessDaemon again = new InProcessDaemon(ServerSettings.defaults(), root)) {
            assertEquals("cfg\n", ok(again, "desc", "vm1"));
            assertEquals("<foo/>\n\n", ok(again, "metadata", "vm1", "http://ex.org/", "--config"));
        }
    }

    @Test
    void metadataChangeEventAsLibvirtd() throws Exception {
        try (InProcessDaemon daemon = withDomain(null)) {
            ProcessBuilder builder = new ProcessBuilder("virsh", "-c", daemon.uri(), "event", "--event",
                "metadata-change", "--loop", "--timeout", "4");
            builder.environment().put("LC_ALL", "C");
            int before = daemon.eventSubscriptionsMade();
            Process events = builder.start();
            await("virsh event registers its callback").atMost(Duration.ofSeconds(10))
                .until(() -> daemon.eventSubscriptionsMade() > before);
            ok(daemon, "desc", "vm1", "--new-desc", "x");
            ok(daemon, "metadata", "vm1", "http://ex.org/", "--key", "ex", "--set", "<foo/>");
            ok(daemon, "desc", "vm1", "--title", "--new-desc", "T");
            ok(daemon, "metadata", "vm1", "http://ex.org/", "--remove");
            assertTrue(events.waitFor(20, TimeUnit.SECONDS));
            String out = new String(events.getInputStream().readAllBytes());
            assertEquals(List.of("event 'metadata-change' for domain 'vm1': type description, uri <null>",
                "event 'metadata-change' for domain 'vm1': type element, uri http://ex.org/",
                "event 'metadata-change' for domain 'vm1': type title, uri <null>",
                "event 'metadata-change' for domain 'vm1': type element, uri http://ex.org/",
                "event loop timed out", "events received: 4"), out.lines().filter(l -> !l.isBlank()).toList(), out);
        }
    }
}
