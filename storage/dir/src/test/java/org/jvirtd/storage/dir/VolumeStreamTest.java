package org.jvirtd.storage.dir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

import org.jvirtd.api.connect.StoragePools;
import org.jvirtd.api.storage.PoolRef;
import org.jvirtd.api.storage.VolumeRef;
import org.jvirtd.storage.core.internal.StorageFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vol-upload and vol-download of a 100 MiB volume through the StoragePools API give back the same bytes.
 */
class VolumeStreamTest {
    private static final int SIZE = 100 << 20;

    @TempDir
    Path root;

    @Test
    void uploadedHundredMebibytesDownloadWithTheSameChecksum() throws Exception {
        StoragePools pools = new StorageFixture(root, new DirPoolBackend()).pools();
        PoolRef pool = pools.definePool(StorageFixture.dirPool("images", root.resolve("images")), 0);
        pools.buildPool(pool, 0);
        pools.startPool(pool, 0);
        VolumeRef vol = pools.createVolume(pool, StorageFixture.volume("data.img", SIZE, "raw"), 0);

        MessageDigest sent = sha256();
        try (OutputStream out = Channels.newOutputStream(pools.upload(vol, 0, SIZE, 0))) {
            Random random = new Random(42);
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < SIZE / chunk.length; i++) {
                random.nextBytes(chunk);
                sent.update(chunk);
                out.write(chunk);
            }
        }
        MessageDigest received = sha256();
        try (InputStream in = new DigestInputStream(Channels.newInputStream(pools.download(vol, 0, 0, 0)), received)) {
            assertEquals(SIZE, in.transferTo(OutputStream.nullOutputStream()));
        }
        assertArrayEquals(sent.digest(), received.digest());

        try (InputStream part = Channels.newInputStream(pools.download(vol, SIZE - 10, 4, 0))) {
            assertEquals(4, part.readAllBytes().length);
        }
    }

    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }

}
