package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.rpc.testing.Processes.Result;
import org.junit.jupiter.api.Test;

/** virsh's pool-* and vol-* commands, with 100 MiB volume streams, through the RPC server to the real dir pool backend. */
class VirshStorageTest {
    private static final int SIZE = 100 << 20;

    @Test
    void dirPoolLifecycleVolumesAndHundredMebibyteStreams() throws Exception {
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults())) {
            Path target = daemon.root().resolve("pool-dir");
            Path upload = daemon.root().resolve("upload.bin");
            Path download = daemon.root().resolve("download.bin");
            byte[] sent = writeRandom(upload);
            ProcessBuilder watcher = new ProcessBuilder("virsh", "-c", daemon.uri(), "pool-event", "--event", "lifecycle", "--loop",
                "--timeout", "8");
            watcher.environment().put("LC_ALL", "C");
            Process events = watcher.start();
            Thread.sleep(1000);

            expect(daemon, "Pool p1 defined", "pool-define-as", "p1", "dir", "--target", target.toString());
            expect(daemon, "Pool p1 built", "pool-build", "p1");
            expect(daemon, "Pool p1 started", "pool-start", "p1");
            Result list = virsh(daemon, "-q", "pool-list", "--all");
            assertTrue(list.stdout().trim().matches("p1\\s+active\\s+no"), list.toString());
            expect(daemon, "Vol vol1.img created", "vol-create-as", "p1", "vol1.img", "100M", "--format", "raw");
            Result vols = virsh(daemon, "-q", "vol-list", "p1");
            assertTrue(vols.stdout().trim().matches("vol1\\.img\\s+" + target.resolve("vol1.img")), vols.toString());

            expect(daemon, "", "vol-upload", "vol1.img", upload.toString(), "--pool", "p1");
            expect(daemon, "", "vol-download", "vol1.img", download.toString(), "--pool", "p1");
            assertArrayEquals(sent, sha256(download));
            expect(daemon, "", "vol-download", "vol1.img", download.toString(), "--pool", "p1",
                "--offset", "1000", "--length", "10000");
            assertEquals(10000, Files.size(download));

            Result info = virsh(daemon, "vol-info", "--pool", "p1", "vol1.img");
            assertTrue(info.stdout().contains("Capacity:       100.00 MiB"), info.toString());
            Result path = virsh(daemon, "vol-path", "--pool", "p1", "vol1.img");
            assertEquals(target.resolve("vol1.img").toString(), path.stdout().trim(), path.toString());
            Result readOnly = Processes.virsh(daemon.readOnlyUri(), "vol-delete", "vol1.img", "--pool", "p1");
            assertTrue(readOnly.stderr().contains("read only access prevents virStorageVolDelete"),
                readOnly.toString());
            expect(daemon, "Vol vol1.img deleted", "vol-delete", "vol1.img", "--pool", "p1");
            expect(daemon, "Pool p1 destroyed", "pool-destroy", "p1");
            expect(daemon, "Pool p1 has been undefined", "pool-undefine", "p1");

            assertTrue(events.waitFor(30, TimeUnit.SECONDS));
            String out = new String(events.getInputStream().readAllBytes())
                + new String(events.getErrorStream().readAllBytes());
            for (String type : new String[] {"Defined", "Started", "Stopped", "Undefined"}) {
                assertTrue(out.contains("event 'lifecycle' for storage pool p1: " + type), out);
            }
        }
    }

    private static void expect(InProcessDaemon daemon, String stdout, String... args)
        throws IOException, InterruptedException {
        Result result = virsh(daemon, args);
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(stdout, result.stdout().trim(), result.toString());
    }

    private static Result virsh(InProcessDaemon daemon, String... args) throws IOException, InterruptedException {
        return Processes.virsh(daemon.uri(), args);
    }

    /** Writes SIZE random bytes and returns their SHA-256. */
    private static byte[] writeRandom(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Random random = new Random(7);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < SIZE / chunk.length; i++) {
                random.nextBytes(chunk);
                digest.update(chunk);
                out.write(chunk);
            }
        }
        return digest.digest();
    }

    private static byte[] sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return digest.digest();
    }
}
