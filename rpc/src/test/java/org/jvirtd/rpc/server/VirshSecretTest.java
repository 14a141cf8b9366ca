package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.rpc.testing.Processes.Result;

/**
 * virsh's secret-* commands through the RPC server to the real secret driver, with the output and the error
 * messages libvirtd 9.0 gave for the same commands (recorded with ../shared/tools/peer-libvirtd.sh).
 */
class VirshSecretTest {
    static final String VOLUME_UUID = "c8f7a2e4-1d3b-4a5e-9f60-7b8c9d0e1f23";
    static final String VOLUME_SECRET = "<secret ephemeral='no' private='no'><uuid>" + VOLUME_UUID + "</uuid>"
        + "<description>my vol</description><usage type='volume'><volume>/var/lib/libvirt/images/a.img</volume>"
        + "</usage></secret>";
    static final String PRIVATE_UUID = "11111111-2222-3333-4444-555555555555";
    static final String PRIVATE_EPHEMERAL = "<secret ephemeral='yes' private='yes'><uuid>" + PRIVATE_UUID
        + "</uuid><usage type='iscsi'><target>libvirtiscsi</target></usage></secret>";

    private Path work;

    @BeforeEach
    void createWorkFolder() throws Exception {
        work = Files.createTempDirectory("virsh-secret");
    }

    @AfterEach
    void removeWorkFolder() throws Exception {
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Path file(String name, String content) throws Exception {
        Path file = work.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private static Result virsh(InProcessDaemon daemon, String... args) throws Exception {
        return Processes.virsh(daemon.uri(), args);
    }

    @Test
    void defineListDumpxmlSetGetValueAndUndefineAsLibvirtd() throws Exception {
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults())) {
            Result define = virsh(daemon, "secret-define", file("vol.xml", VOLUME_SECRET).toString());
            assertEquals("Secret " + VOLUME_UUID + " created", define.stdout().trim(), define.toString());
            Result dump = virsh(daemon, "secret-dumpxml", VOLUME_UUID);
            assertEquals("<secret ephemeral='no' private='no'>\n  <uuid>" + VOLUME_UUID + "</uuid>\n"
                + "  <description>my vol</description>\n  <usage type='volume'>\n"
                + "    <volume>/var/lib/libvirt/images/a.img</volume>\n  </usage>\n</secret>\n\n", dump.stdout());

            assertEquals(0, virsh(daemon, "secret-define", file("p.xml", PRIVATE_EPHEMERAL).toString()).exitCode());
            Result generated = virsh(daemon, "secret-define",
                file("c.xml", "<secret><usage type='ceph'><name>client.admin secret</name></usage></secret>").toString());
            assertTrue(generated.stdout().trim().matches("Secret [0-9a-f-]{36} created"), generated.toString());
            String cephUuid = generated.stdout().trim().split(" ")[1];

            Result list = virsh(daemon, "-q", "secret-list");
            assertEquals(Stream.of(PRIVATE_UUID + "   iscsi libvirtiscsi", VOLUME_UUID
                + "   volume /var/lib/libvirt/images/a.img", cephUuid + "   ceph client.admin secret").sorted()
                .map(line -> " " + line).toList(), list.stdout().lines().filter(l -> !l.isBlank()).map(String::stripTrailing)
                .toList(), list.toString());
            Result ephemeral = virsh(daemon, "-q", "secret-list", "--ephemeral");
            assertEquals(PRIVATE_UUID + "   iscsi libvirtiscsi", ephemeral.stdout().strip(), ephemeral.toString());
            Result noPrivate = virsh(daemon, "-q", "secret-list", "--no-private");
            assertEquals(2, noPrivate.stdout().lines().filter(l -> !l.isBlank()).count(), noPrivate.toString());

            Result set = virsh(daemon, "secret-set-value", VOLUME_UUID, "--file", file("v.b64", "aGVsbG8=").toString());
            assertEquals("Secret value set", set.stdout().trim(), set.toString());
            assertEquals("aGVsbG8=", virsh(daemon, "secret-get-value", VOLUME_UUID).stdout().trim());
            virsh(daemon, "secret-set-value", VOLUME_UUID, "--file", file("v.txt", "plainval").toString(), "--plain");
            assertEquals("plainval", virsh(daemon, "secret-get-value", "--plain", VOLUME_UUID).stdout().trim());

            Result undefine = virsh(daemon, "secret-undefine", VOLUME_UUID);
            assertEquals("Secret " + VOLUME_UUID + " deleted", undefine.stdout().trim(), undefine.toString());
            assertFalse(virsh(daemon, "secret-list").stdout().contains(VOLUME_UUID));
            assertEquals(Map.of(), filesOf(daemon, VOLUME_UUID), "undefine leaves no file of the secret");
        }
    }

    @Test
    void badDefinitionsAndRefusalsGiveLibvirtdsMessages() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("<secrets/>", "error: XML error: expecting root element of 'secret', not 'secrets'");
        cases.put("<secret ephemeral='maybe'/>", "error: XML error: invalid value of 'ephemeral'");
        cases.put("<secret private='maybe'/>", "error: XML error: invalid value of 'private'");
        cases.put("<secret><usage type='foo'/></secret>", "error: unsupported configuration: unknown secret usage type foo");
        cases.put("<secret><usage/></secret>", "error: XML error: unknown secret usage type");
        cases.put("<secret><usage type=''/></secret>", "error: XML error: unknown secret usage type");
        cases.put("<secret><usage type='volume'/></secret>",
            "error: internal error: volume usage specified, but volume path is missing");
        cases.put("<secret><usage type='volume'><volume></volume></usage></secret>",
            "error: internal error: volume usage specified, but volume path is missing");
        cases.put("<secret><usage type='ceph'/></secret>", "error: internal error: Ceph usage specified, but name is missing");
        cases.put("<secret><usage type='iscsi'/></secret>",
            "error: internal error: iSCSI usage specified, but target is missing");
        cases.put("<secret><usage type='tls'/></secret>", "error: internal error: TLS usage specified, but name is missing");
        cases.put("<secret><usage type='vtpm'/></secret>", "error: internal error: vTPM usage specified, but name is missing");
        cases.put("<secret><uuid>zzz</uuid></secret>", "error: internal error: malformed uuid element");
        cases.put("<secret><uuid>" + VOLUME_UUID + "</uuid><usage type='volume'><volume>/b.img</volume></usage></secret>",
            "error: internal error: a secret with UUID " + VOLUME_UUID + " is already defined for use with "
                + "/var/lib/libvirt/images/a.img");
        cases.put("<secret><usage type='volume'><volume>/var/lib/libvirt/images/a.img</volume></usage></secret>",
            "error: internal error: a secret with UUID " + VOLUME_UUID + " already defined for use with "
                + "/var/lib/libvirt/images/a.img");
        cases.put("<secret private='no'><uuid>" + PRIVATE_UUID + "</uuid><usage type='iscsi'><target>libvirtiscsi"
            + "</target></usage></secret>", "error: internal error: cannot change private flag on existing secret");
        String missing = "44444444-2222-3333-4444-555555555555";
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults())) {
            virsh(daemon, "secret-define", file("vol.xml", VOLUME_SECRET).toString());
            virsh(daemon, "secret-define", file("p.xml", PRIVATE_EPHEMERAL).toString());
            int i = 0;
            for (Map.Entry<String, String> c : cases.entrySet()) {
                Path xml = file("bad" + i++ + ".xml", c.getKey());
                Result r = virsh(daemon, "secret-define", xml.toString());
                assertEquals("error: Failed to set attributes from " + xml + "\n" + c.getValue(), r.stderr().trim(),
                    c.getKey());
            }
            Path extra = file("extra.xml", "<secret><uuid>88888888-2222-3333-4444-555555555555</uuid><foo/></secret>");
            assertEquals("error: Failed to set attributes from " + extra + "\nerror: XML document failed to validate "
                + "against schema: Unable to validate doc against /usr/share/libvirt/schemas/secret.rng\n"
                + "Element secret has extra content: foo", virsh(daemon, "secret-define", "--validate",
                extra.toString()).stderr().trim());
            assertEquals(0, virsh(daemon, "secret-define", extra.toString()).exitCode(), "without --validate <foo/> is ignored");

            virsh(daemon, "secret-set-value", PRIVATE_UUID, "--file", file("v", "aGVsbG8=").toString());
            Result empty = virsh(daemon, "secret-set-value", VOLUME_UUID, "--file", file("e", "%%%").toString());
            assertEquals("error: Failed to set secret value\nerror: value in virSecretSetValue must not be NULL",
                empty.stderr().trim(), "an empty value (base64 that decodes to nothing)");
            assertEquals(1, empty.exitCode());
            assertEquals("error: Invalid secret: secret is private", virsh(daemon, "secret-get-value", PRIVATE_UUID)
                .stderr().trim());
            assertEquals("error: Secret not found: secret '" + VOLUME_UUID + "' does not have a value",
                virsh(daemon, "secret-get-value", VOLUME_UUID).stderr().trim());
            for (String command : new String[] {"secret-dumpxml", "secret-undefine", "secret-get-value"}) {
                assertEquals("error: failed to get secret '" + missing + "'\nerror: Secret not found: no secret with "
                    + "matching uuid '" + missing + "'", virsh(daemon, command, missing).stderr().trim(), command);
            }
        }
    }

    @Test
    void readOnlyConnectionIsRefusedDefineUndefineSetAndGetValue() throws Exception {
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults())) {
            Path xml = file("vol.xml", VOLUME_SECRET);
            virsh(daemon, "secret-define", xml.toString());
            virsh(daemon, "secret-set-value", VOLUME_UUID, "--file", file("v", "aGVsbG8=").toString());
            String ro = daemon.readOnlyUri();
            assertEquals("error: operation forbidden: read only access prevents virSecretGetValue",
                Processes.virsh(ro, "secret-get-value", VOLUME_UUID).stderr().trim());
            assertEquals("error: Failed to set secret value\nerror: operation forbidden: read only access prevents "
                + "virSecretSetValue", Processes.virsh(ro, "secret-set-value", VOLUME_UUID, "--file",
                file("w", "d29ybGQ=").toString()).stderr().trim());
            assertEquals("error: Failed to set attributes from " + xml + "\nerror: operation forbidden: read only "
                + "access prevents virSecretDefineXML", Processes.virsh(ro, "secret-define", xml.toString()).stderr().trim());
            assertEquals("error: Failed to delete secret " + VOLUME_UUID + "\nerror: operation forbidden: read only "
                + "access prevents virSecretUndefine", Processes.virsh(ro, "secret-undefine", VOLUME_UUID).stderr().trim());
            assertTrue(Processes.virsh(ro, "secret-list").stdout().contains(VOLUME_UUID), "listing is allowed");
            assertTrue(Processes.virsh(ro, "secret-dumpxml", VOLUME_UUID).stdout().contains("<volume>"));
            assertEquals("aGVsbG8=", virsh(daemon, "secret-get-value", VOLUME_UUID).stdout().trim(),
                "the refused set changed nothing");
        }
    }

    @Test
    void restartKeepsPersistentSecretsAndTheirEncryptedValuesAndForgetsEphemeralOnes() throws Exception {
        InProcessDaemon first = new InProcessDaemon(ServerSettings.defaults());
        Path root = first.root();
        String value = "correct horse battery staple";
        String encoded = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        Path keyFile = root.resolve("var/lib/jvirtd/secrets/secrets-encryption-key");
        byte[] key;
        try {
            virsh(first, "secret-define", file("vol.xml", VOLUME_SECRET).toString());
            virsh(first, "secret-define", file("p.xml", PRIVATE_EPHEMERAL).toString());
            virsh(first, "secret-set-value", VOLUME_UUID, "--file", file("v", value).toString(), "--plain");
            virsh(first, "secret-set-value", PRIVATE_UUID, "--file", file("w", value).toString(), "--plain");

            Map<String, String> files = filesOf(first, VOLUME_UUID);
            assertEquals(Map.of(VOLUME_UUID + ".xml", "rw-------", VOLUME_UUID + ".aes256cbc", "rw-------"), files);
            assertEquals(Map.of(), filesOf(first, PRIVATE_UUID), "an ephemeral secret has no file");
            assertEquals("rw-------", permissions(keyFile));
            key = Files.readAllBytes(keyFile);
            assertEquals(32, key.length);
            try (Stream<Path> all = Files.walk(root)) {
                for (Path f : all.filter(Files::isRegularFile).toList()) {
                    String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    assertFalse(content.contains(value) || content.contains(encoded), f + " holds the value in clear");
                }
            }
        } finally {
            first.stopKeepingState();
        }
        try (InProcessDaemon second = new InProcessDaemon(ServerSettings.defaults(), root)) {
            assertEquals(value, virsh(second, "secret-get-value", "--plain", VOLUME_UUID).stdout().trim());
            assertTrue(virsh(second, "secret-dumpxml", VOLUME_UUID).stdout().contains("<description>my vol</description>"));
            assertFalse(virsh(second, "secret-list").stdout().contains(PRIVATE_UUID), "ephemeral secrets end with the daemon");
            assertArrayEquals(key, Files.readAllBytes(keyFile), "the host key is made once");
        }
    }

    @Test
    void eventsReachVirshAndSecretsOutliveASwapOfTheDriver() throws Exception {
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults())) {
            Watcher lifecycle = watch(daemon, "lifecycle");
            Watcher values = watch(daemon, "value-changed");
            awaitRegistered(daemon, lifecycle, values);
            virsh(daemon, "secret-define", file("vol.xml", VOLUME_SECRET).toString());
            virsh(daemon, "secret-set-value", VOLUME_UUID, "--file", file("v", "aGVsbG8=").toString());

            daemon.swapSecretDriver();
            assertEquals("aGVsbG8=", virsh(daemon, "secret-get-value", VOLUME_UUID).stdout().trim());
            virsh(daemon, "secret-undefine", VOLUME_UUID);

            String out = lifecycle.output();
            assertTrue(out.contains("event 'lifecycle' for secret " + VOLUME_UUID + ": Defined"), out);
            assertTrue(out.contains("event 'lifecycle' for secret " + VOLUME_UUID + ": Undefined"),
                "an event of the new driver reaches a registration made before the swap: " + out);
            assertTrue(values.output().contains("event 'value-changed' for secret " + VOLUME_UUID + "\n"));
        }
    }

    /** A virsh secret-event process and what it printed so far, read as it prints. */
    private record Watcher(Process process, StringBuffer printed, Thread reader) {
        /** Everything it printed, once it ended (its --timeout ends it) and its output was read to the end. */
        String output() throws InterruptedException {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "virsh secret-event ended");
            reader.join(10_000);
            return printed.toString();
        }
    }

    private static Watcher watch(InProcessDaemon daemon, String event) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("virsh", "-c", daemon.uri(), "secret-event", "--event", event,
            "--loop", "--timeout", "10");
        builder.environment().put("LC_ALL", "C");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        StringBuffer printed = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (var in = process.getInputStream()) {
                byte[] buffer = new byte[4096];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    printed.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return new Watcher(process, printed, reader);
    }

    /**
     * Waits until both watchers have registered: a probe secret is defined, given a value and undefined until
     * each watcher printed its event (the watchers' own output is the only sign virsh registered).
     */
    private void awaitRegistered(InProcessDaemon daemon, Watcher lifecycle, Watcher values) throws Exception {
        String probe = "0a1b2c3d-0000-4000-8000-00000000b0b0";
        Path xml = file("probe.xml", "<secret ephemeral='yes' private='no'><uuid>" + probe + "</uuid></secret>");
        Path value = file("probe-value", "cHJvYmU=");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
            .pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
                virsh(daemon, "secret-define", xml.toString());
                virsh(daemon, "secret-set-value", probe, "--file", value.toString());
                virsh(daemon, "secret-undefine", probe);
                return lifecycle.printed().indexOf(probe) >= 0 && values.printed().indexOf(probe) >= 0;
            });
    }

    /** The files of one secret in the daemon's secrets folder, with their permissions. */
    private static Map<String, String> filesOf(InProcessDaemon daemon, String uuid) throws Exception {
        Path dir = daemon.root().resolve("etc/jvirtd/secrets");
        Map<String, String> out = new LinkedHashMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().startsWith(uuid)).toList()) {
                    out.put(f.getFileName().toString(), permissions(f));
                }
            }
        }
        return out;
    }

    private static String permissions(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
