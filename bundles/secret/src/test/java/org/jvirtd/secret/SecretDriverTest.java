package org.jvirtd.secret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.secret.SecretEvent;
import org.jvirtd.api.secret.SecretFlags;
import org.jvirtd.api.secret.SecretRef;
import org.jvirtd.api.secret.SecretUsageType;
import org.jvirtd.core.config.DaemonConfig;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.platform.conf.ConfFile;

/** The secret driver over a folder of its own: libvirt's define rules, files on disk, encryption, events. */
class SecretDriverTest {
    private static final String UUID_TEXT = "c8f7a2e4-1d3b-4a5e-9f60-7b8c9d0e1f23";
    private static final UUID ID = UUID.fromString(UUID_TEXT);
    private static final byte[] VALUE = "correct horse".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;
    private final List<SecretDriver> started = new ArrayList<>();

    @AfterEach
    void stopDrivers() {
        started.forEach(SecretDriver::deactivate);
    }

    private SecretDriver driver(String conf) {
        return driver(config(conf));
    }

    private SecretDriver driver(DaemonConfig config) {
        SecretDriver driver = new SecretDriver(config);
        started.add(driver);
        return driver;
    }

    private DaemonConfig config(String conf) {
        DaemonPaths paths = DaemonPaths.resolve(root.toString(), true, java.util.Map.of(), root.toString());
        ConfFile settings = ConfFile.parse("jvirtd.conf", conf);
        DaemonConfig config = (DaemonConfig) Proxy.newProxyInstance(DaemonConfig.class.getClassLoader(),
            new Class<?>[] {DaemonConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                case "paths" -> paths;
                case "settings" -> settings;
                case "toString" -> "test config";
                default -> null;
            });
        return config;
    }

    @Test
    void ephemeralSecretsOutliveAnUpdateOfTheDriverButNotANewDaemon() throws Exception {
        DaemonConfig daemon = config("");
        SecretDriver first = driver(daemon);
        first.setValue(first.define(secret("ephemeral='yes' private='no'"), 0), VALUE, 0);
        first.deactivate();
        started.remove(first);
        SecretDriver updated = driver(daemon);
        SecretRef ref = updated.lookupByUuid(ID);
        assertArrayEquals(VALUE, updated.value(ref, 0), "the same daemon's next driver has the secret and value");
        assertTrue(updated.xml(ref, 0).contains("ephemeral='yes'"));
        updated.deactivate();
        started.remove(updated);
        SecretDriver again = driver(daemon);
        assertEquals(1, again.listAll(0).size(), "carried over each update");
        again.deactivate();
        started.remove(again);
        SecretDriver restarted = driver(config(""));
        assertEquals(List.of(), restarted.listAll(0), "another daemon does not take them");
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            assertEquals(List.of(), all.filter(f -> f.getFileName().toString().startsWith(UUID_TEXT)).toList(),
                "and the stash's files are gone");
        }
    }

    private SecretDriver driver() {
        return driver("");
    }

    private static String secret(String attributes) {
        return "<secret " + attributes + "><uuid>" + UUID_TEXT + "</uuid><usage type='ceph'><name>client.admin</name>"
            + "</usage></secret>";
    }

    private Path secrets() {
        return root.resolve("etc/jvirtd/secrets");
    }

    @Test
    void anEphemeralSecretMadePersistentGetsItsValueWrittenAndSurvivesARestart() {
        SecretDriver first = driver();
        SecretRef ref = first.define(secret("ephemeral='yes'"), 0);
        first.setValue(ref, VALUE, 0);
        assertFalse(Files.exists(secrets().resolve(UUID_TEXT + ".xml")));
        first.define(secret("ephemeral='no'"), 0);
        assertTrue(Files.exists(secrets().resolve(UUID_TEXT + ".aes256cbc")));

        SecretDriver second = driver();
        assertArrayEquals(VALUE, second.value(second.lookupByUuid(ID), 0));
    }

    @Test
    void aPersistentSecretMadeEphemeralLosesItsFilesButKeepsItsValueInMemory() throws Exception {
        SecretDriver driver = driver();
        SecretRef ref = driver.define(secret(""), 0);
        driver.setValue(ref, VALUE, 0);
        driver.define(secret("ephemeral='yes'"), 0);
        try (var files = Files.list(secrets())) {
            assertEquals(List.of(), files.toList());
        }
        assertArrayEquals(VALUE, driver.value(ref, 0));
        assertEquals(List.of(), driver().listAll(0), "a restarted driver does not know it");
    }

    @Test
    void aClearBase64ValueAsLibvirt90WritesItIsReadAndReplacedByTheEncryptedForm() throws Exception {
        Files.createDirectories(secrets());
        Files.writeString(secrets().resolve(UUID_TEXT + ".xml"), secret("ephemeral='no' private='no'"));
        Files.writeString(secrets().resolve(UUID_TEXT + ".base64"), "aGVsbG8=");
        SecretDriver driver = driver();
        SecretRef ref = driver.lookupByUsage(SecretUsageType.CEPH, "client.admin");
        assertEquals("hello", new String(driver.value(ref, 0), StandardCharsets.UTF_8));
        driver.setValue(ref, VALUE, 0);
        assertFalse(Files.exists(secrets().resolve(UUID_TEXT + ".base64")));
        assertTrue(Files.exists(secrets().resolve(UUID_TEXT + ".aes256cbc")));
    }

    @Test
    void theEncryptedValueIsPlainAes256CbcThatOpensslDecrypts() throws Exception {
        SecretDriver driver = driver();
        driver.setValue(driver.define(secret(""), 0), VALUE, 0);
        byte[] stored = Base64.getDecoder().decode(Files.readString(secrets().resolve(UUID_TEXT + ".aes256cbc")));
        byte[] key = Files.readAllBytes(root.resolve("var/lib/jvirtd/secrets/secrets-encryption-key"));
        Path ciphertext = root.resolve("ciphertext");
        Files.write(ciphertext, java.util.Arrays.copyOfRange(stored, 16, stored.length));
        Process openssl = new ProcessBuilder("openssl", "enc", "-d", "-aes-256-cbc", "-K", HexFormat.of().formatHex(key),
            "-iv", HexFormat.of().formatHex(stored, 0, 16), "-in", ciphertext.toString()).start();
        assertTrue(openssl.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, openssl.exitValue(), new String(openssl.getErrorStream().readAllBytes()));
        assertArrayEquals(VALUE, openssl.getInputStream().readAllBytes());
    }

    @Test
    void theHostKeyFromJvirtdConfIsUsedAndOneOfTheWrongLengthRefused() throws Exception {
        Path key = root.resolve("my.key");
        Files.write(key, new byte[32]);
        SecretDriver driver = driver("secrets_encryption_key = \"" + key + "\"\n");
        driver.setValue(driver.define(secret(""), 0), VALUE, 0);
        assertFalse(Files.exists(root.resolve("var/lib/jvirtd/secrets/secrets-encryption-key")));
        assertArrayEquals(VALUE, driver("secrets_encryption_key = \"" + key + "\"\n").value(driver.lookupByUuid(ID), 0));

        Files.write(key, new byte[16]);
        VirtException e = assertThrows(VirtException.class,
            () -> driver("secrets_encryption_key = \"" + key + "\"\n"));
        assertEquals("Encryption key length must be '32' '" + key + "'", e.detail());
    }

    @Test
    void aFileWhoseNameIsNotItsUuidIsSkipped() throws Exception {
        Files.createDirectories(secrets());
        Files.writeString(secrets().resolve("11111111-2222-3333-4444-555555555555.xml"), secret(""));
        assertEquals(List.of(), driver().listAll(0));
    }

    @Test
    void listingFiltersAndUnknownFlagsAsLibvirtd() {
        SecretDriver driver = driver();
        driver.define(secret("private='yes'"), 0);
        driver.define("<secret ephemeral='yes'><uuid>11111111-2222-3333-4444-555555555555</uuid></secret>", 0);
        assertEquals(1, driver.listAll(SecretFlags.LIST_PRIVATE).size());
        assertEquals(ID, driver.listAll(SecretFlags.LIST_NO_EPHEMERAL | SecretFlags.LIST_PRIVATE).get(0).uuid());
        assertEquals(2, driver.listAll(SecretFlags.LIST_PRIVATE | SecretFlags.LIST_NO_PRIVATE).size());
        assertEquals("unsupported flags (0x40) in function secretConnectListAllSecrets",
            assertThrows(VirtException.class, () -> driver.listAll(64)).getMessage());
        assertEquals("unsupported flags (0x2) in function secretDefineXML",
            assertThrows(VirtException.class, () -> driver.define(secret(""), 2)).getMessage());
        VirtException unused = assertThrows(VirtException.class, () -> driver.lookupByUsage(SecretUsageType.NONE, ""));
        assertEquals(ErrorCode.NO_SECRET, unused.code());
        assertEquals("no secret with matching usage ''", unused.detail());
    }

    @Test
    void defineValueAndUndefineAreEventsInOrder() throws Exception {
        SecretDriver driver = driver();
        LinkedBlockingQueue<SecretEvent> events = new LinkedBlockingQueue<>();
        driver.subscribe(events::add);
        SecretRef ref = driver.define(secret(""), 0);
        driver.setValue(ref, VALUE, 0);
        driver.undefine(ref);
        for (SecretEvent.Type expected : new SecretEvent.Type[] {SecretEvent.Type.DEFINED,
            SecretEvent.Type.VALUE_CHANGED, SecretEvent.Type.UNDEFINED}) {
            SecretEvent event = events.poll(10, TimeUnit.SECONDS);
            assertEquals(expected, event.type());
            assertEquals(new SecretRef(ID, SecretUsageType.CEPH, "client.admin"), event.secret());
        }
    }

    @Test
    void driversReadAPrivateSecretThatClientsCannotRead() {
        SecretDriver driver = driver();
        SecretRef ref = driver.define(secret("private='yes'"), 0);
        VirtException noValue = assertThrows(VirtException.class, () -> driver.value(ID));
        assertEquals("secret '" + UUID_TEXT + "' does not have a value", noValue.detail());
        driver.setValue(ref, VALUE, 0);
        VirtException refused = assertThrows(VirtException.class, () -> driver.value(ref, 0));
        assertEquals("Invalid secret: secret is private", refused.getMessage());
        assertArrayEquals(VALUE, driver.value(ID));
        assertEquals(java.util.Optional.of(ID), driver.byUsage(SecretUsageType.CEPH, "client.admin"));
        assertEquals(java.util.Optional.empty(), driver.byUsage(SecretUsageType.VOLUME, "client.admin"));
        assertEquals(ErrorCode.NO_SECRET, assertThrows(VirtException.class,
            () -> driver.value(UUID.fromString("11111111-2222-3333-4444-555555555555"))).code());
    }
}
