package org.jvirtd.storage.dir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.secret.SecretRef;
import org.jvirtd.api.storage.PoolRef;
import org.jvirtd.api.storage.VolumeRef;
import org.jvirtd.core.config.DaemonConfig;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.secret.SecretDriver;
import org.jvirtd.storage.core.internal.CoreStoragePools;
import org.jvirtd.storage.core.internal.StorageFixture;

/**
 * LUKS-encrypted volumes of a dir pool with the real secret driver: made and copied by qemu-img with the
 * passphrase of a private secret, shown as libvirt 9.0 shows them (raw with {@code <encryption format='luks'>},
 * the payload as capacity), found again by a refresh with the secret that names their path, and the passphrase
 * in no file in clear.
 */
class LuksVolumeTest {
    private static final String UUID_TEXT = "aaaaaaaa-2222-3333-4444-555555555555";
    private static final String PASSPHRASE = "luks-test-passphrase-4711";

    @TempDir
    Path root;
    private SecretDriver secrets;
    private CoreStoragePools pools;
    private Path target;
    private PoolRef pool;

    @BeforeEach
    void poolAndSecret() {
        DaemonPaths paths = DaemonPaths.resolve(root.toString(), true, Map.of(), root.toString());
        ConfFile settings = ConfFile.parse("jvirtd.conf", "");
        secrets = new SecretDriver((DaemonConfig) Proxy.newProxyInstance(DaemonConfig.class.getClassLoader(),
            new Class<?>[] {DaemonConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                case "paths" -> paths;
                case "settings" -> settings;
                default -> null;
            }));
        pools = new StorageFixture(root, new DirPoolBackend()).pools();
        target = root.resolve("images");
        pool = pools.definePool(StorageFixture.dirPool("images", target), 0);
        pools.buildPool(pool, 0);
        pools.startPool(pool, 0);
    }

    @AfterEach
    void stopSecrets() {
        secrets.deactivate();
    }

    private void defineSecret(String volumePath, boolean withValue) {
        SecretRef ref = secrets.define("<secret ephemeral='no' private='yes'><uuid>" + UUID_TEXT + "</uuid>"
            + "<usage type='volume'><volume>" + volumePath + "</volume></usage></secret>", 0);
        if (withValue) {
            secrets.setValue(ref, PASSPHRASE.getBytes(StandardCharsets.UTF_8), 0);
        }
    }

    private static String luksVolume(String name, long capacity) {
        return "<volume><name>" + name + "</name><capacity>" + capacity + "</capacity><target><format type='raw'/>"
            + "<encryption format='luks'><secret type='passphrase' uuid='" + UUID_TEXT + "'/></encryption>"
            + "</target></volume>";
    }

    /** The first bytes of the decrypted payload, read by qemu-io with the passphrase. */
    private static String payload(String path, int length) throws IOException {
        return DirPoolTest.run("qemu-io", "--object", "secret,id=s0,data=" + PASSPHRASE, "--image-opts",
            "driver=luks,key-secret=s0,file.filename=" + path, "-c", "read -v 0 " + length);
    }

    @Test
    void aLuksVolumeIsMadeWithTheSecretsPassphraseAndShownAsLibvirtShowsIt() throws IOException {
        pools.bindSecrets(secrets);
        defineSecret(target.resolve("enc.img").toString(), true);
        VolumeRef vol = pools.createVolume(pool, luksVolume("enc.img", 16 << 20), 0);
        String info = DirPoolTest.run("qemu-img", "info", pools.volumePath(vol));
        assertTrue(info.contains("file format: luks"), info);
        assertTrue(payload(pools.volumePath(vol), 16).contains("read 16/16 bytes"), "the passphrase opens it");
        assertEquals(16L << 20, pools.volumeInfo(vol).capacity());
        String xml = pools.volumeXml(vol, 0);
        assertTrue(xml.contains("<format type='raw'/>"), xml);
        assertTrue(xml.contains("<encryption format='luks'>\n      <secret type='passphrase' uuid='" + UUID_TEXT
            + "'/>\n    </encryption>"), xml);

        pools.refreshPool(pool, 0);
        VolumeRef again = pools.lookupVolumeByName(pool, "enc.img");
        assertEquals(16L << 20, pools.volumeInfo(again).capacity());
        assertTrue(pools.volumeXml(again, 0).contains("<secret type='passphrase' uuid='" + UUID_TEXT + "'/>"),
            "the refresh names the secret whose usage is the volume's path");
        assertNoFileHoldsThePassphrase();

        long size = Files.size(Path.of(pools.volumePath(again)));
        pools.wipeVolume(again, org.jvirtd.api.storage.StorageFlags.WIPE_ZERO, 0, null);
        String wiped = pools.volumeXml(again, 0);
        assertFalse(wiped.contains("<encryption"), "the wipe took the LUKS header, as libvirt shows: " + wiped);
        assertEquals(size, pools.volumeInfo(again).capacity());
        assertEquals(0, pools.volumeInfo(again).allocation(), "a sparse file is zeroed by truncation, as libvirt's");
    }

    @Test
    void aCopyOfARawVolumeIsEncryptedAndReadsBackWithThePassphrase() throws IOException {
        pools.bindSecrets(secrets);
        defineSecret(target.resolve("copy.img").toString(), true);
        VolumeRef plain = pools.createVolume(pool, StorageFixture.volume("plain.img", 4 << 20, "raw"), 0);
        Files.write(Path.of(pools.volumePath(plain)), "LUKSMARKER123456".getBytes(StandardCharsets.US_ASCII),
            StandardOpenOption.WRITE);
        VolumeRef copy = pools.createVolumeFrom(pool, luksVolume("copy.img", 0), plain, 0, null);
        byte[] stored = Files.readAllBytes(Path.of(pools.volumePath(copy)));
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("LUKSMARKER123456"),
            "the copy holds the marker encrypted only");
        assertTrue(payload(pools.volumePath(copy), 16).contains("LUKSMARKER123456"));
        assertEquals(4L << 20, pools.volumeInfo(copy).capacity());
        assertNoFileHoldsThePassphrase();
    }

    @Test
    void aLuksVolumeNeedsTheSecretDriverAndASecretWithAValue() {
        VirtException noDriver = assertThrows(VirtException.class,
            () -> pools.createVolume(pool, luksVolume("enc.img", 1 << 20), 0));
        assertEquals("driver secret is not available", noDriver.detail());
        pools.bindSecrets(secrets);
        VirtException noSecret = assertThrows(VirtException.class,
            () -> pools.createVolume(pool, luksVolume("enc.img", 1 << 20), 0));
        assertEquals(ErrorCode.NO_SECRET, noSecret.code());
        defineSecret(target.resolve("enc.img").toString(), false);
        VirtException noValue = assertThrows(VirtException.class,
            () -> pools.createVolume(pool, luksVolume("enc.img", 1 << 20), 0));
        assertEquals("secret '" + UUID_TEXT + "' does not have a value", noValue.detail());
        assertFalse(Files.exists(target.resolve("enc.img")));
    }

    private void assertNoFileHoldsThePassphrase() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).filter(Files::isReadable).toList();
        }
        for (Path file : files) {
            try {
                if (Files.size(file) < (64 << 20)) {
                    String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    assertFalse(content.contains(PASSPHRASE), file + " holds the passphrase in clear");
                }
            } catch (IOException vanished) {
                // another process's temporary file
            }
        }
    }
}
