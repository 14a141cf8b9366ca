package org.jvirtd.rpc.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.time.Duration;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.api.storage.VolumeRef;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.rpc.testing.Processes.Result;
import org.jvirtd.rpc.testing.RawClient;
import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.MessageType;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.RemoteError;
import org.jvirtd.rpc.xdr.XdrWriter;
import org.junit.jupiter.api.Test;

/** virsh's pool-* and vol-* commands, with 100 MiB volume streams, through the RPC server to the real dir pool backend. */
class VirshStorageTest {
    private static final int SIZE = 100 << 20;
    private static final long SPARSE_SIZE = 64 << 20;

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
            int before = daemon.eventSubscriptionsMade();
            Process events = watcher.start();
            await("virsh pool-event registers its callback").atMost(Duration.ofSeconds(10))
                .until(() -> daemon.eventSubscriptionsMade() > before);

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

    @Test
    void poolCapabilitiesMarkTheBackendsHereAndTargetPathLookupFindsOnlyActivePools() throws Exception {
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults())) {
            Result caps = virsh(daemon, "pool-capabilities");
            assertEquals(0, caps.exitCode(), caps.toString());
            assertTrue(caps.stdout().contains("<pool type='dir' supported='yes'>"), caps.toString());
            assertTrue(caps.stdout().contains("<pool type='iscsi' supported='no'>"), caps.toString());

            Path target = daemon.root().resolve("pool-by-path");
            expect(daemon, "Pool bypath defined", "pool-define-as", "bypath", "dir", "--target", target.toString());
            expect(daemon, "Pool bypath built", "pool-build", "bypath");
            String script = """
                import libvirt, sys
                c = libvirt.open(sys.argv[1])
                def look(path):
                    try:
                        print(c.storagePoolLookupByTargetPath(path).name())
                    except libvirt.libvirtError as e:
                        print(e.get_error_code(), e.get_error_message())
                look(sys.argv[2])
                c.storagePoolLookupByName("bypath").create()
                look(sys.argv[2])
                look(sys.argv[2] + "//")
                try:
                    c.getStoragePoolCapabilities(1)
                except libvirt.libvirtError as e:
                    print(e.get_error_code(), e.get_error_message())
                """;
            Result lookups = Processes.run(java.util.List.of("/usr/bin/python3", "-c", script, daemon.uri(),
                target.toString()), null, 60);
            assertEquals(java.util.List.of(
                "49 Storage pool not found: no storage pool with matching target path '" + target + "'",
                "bypath", "bypath",
                "8 unsupported flags (0x1) in function storageConnectGetStoragePoolCapabilities"),
                lookups.stdout().lines().toList(), lookups.toString());
        }
    }

    @Test
    void sparseUploadAndDownloadSendHolesAndLeaveSparseFiles() throws Exception {
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults())) {
            Path target = daemon.root().resolve("sparse-pool");
            Path upload = daemon.root().resolve("sparse-upload.bin");
            Path download = daemon.root().resolve("sparse-download.bin");
            byte[] sent = writeSparse(upload);
            assertTrue(allocatedBytes(upload) < SPARSE_SIZE / 8, "the test file itself is sparse");
            expect(daemon, "Pool sp defined", "pool-define-as", "sp", "dir", "--target", target.toString());
            expect(daemon, "Pool sp built", "pool-build", "sp");
            expect(daemon, "Pool sp started", "pool-start", "sp");
            expect(daemon, "Vol sparse.img created", "vol-create-as", "sp", "sparse.img", "1M", "--format", "raw");

            expect(daemon, "", "vol-upload", "sparse.img", upload.toString(), "--pool", "sp", "--sparse");
            Path volume = target.resolve("sparse.img");
            assertEquals(SPARSE_SIZE, Files.size(volume), "the trailing hole extends the volume");
            assertArrayEquals(sent, sha256(volume));
            assertTrue(allocatedBytes(volume) < SPARSE_SIZE / 8, "volume allocates " + allocatedBytes(volume));

            expect(daemon, "", "vol-download", "sparse.img", download.toString(), "--pool", "sp", "--sparse");
            assertEquals(SPARSE_SIZE, Files.size(download));
            assertArrayEquals(sent, sha256(download));
            assertTrue(allocatedBytes(download) < SPARSE_SIZE / 8, "download allocates " + allocatedBytes(download));

            Files.delete(download);
            expect(daemon, "", "vol-download", "sparse.img", download.toString(), "--pool", "sp");
            assertArrayEquals(sent, sha256(download), "without --sparse the holes come as zeros");
            assertTrue(allocatedBytes(download) >= SPARSE_SIZE, "download allocates " + allocatedBytes(download));
        }
    }

    @Test
    void malformedOrUnaskedHolesEndOnlyThatStream() throws Exception {
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults())) {
            Path target = daemon.root().resolve("hole-pool");
            expect(daemon, "Pool hp created", "pool-create-as", "hp", "dir", "--target", target.toString(), "--build");
            expect(daemon, "Vol v.img created", "vol-create-as", "hp", "v.img", "1M", "--format", "raw");
            VolumeRef volume = new VolumeRef("hp", "v.img", target.resolve("v.img").toString());
            try (RawClient client = new RawClient(daemon.socket())) {
                client.open();
                assertStreamError(client, volume, StorageFlags.STREAM_SPARSE, new byte[] {0, 0, 0, 1});
                assertStreamError(client, volume, StorageFlags.STREAM_SPARSE, hole(-4096));
                assertStreamError(client, volume, 0, hole(4096));
                Packet version = client.roundTrip(RemoteProcedure.CONNECT_GET_LIB_VERSION.number(), null);
                assertEquals(MessageStatus.OK, version.header().status(), "the client is still served");
            }
            Path small = Files.write(daemon.root().resolve("small.bin"), new byte[] {1, 2, 3});
            expect(daemon, "", "vol-upload", "v.img", small.toString(), "--pool", "hp", "--sparse");
            assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOf(Files.readAllBytes(target.resolve("v.img")), 3));
        }
    }

    /** Opens an upload, sends one STREAM_HOLE with the payload and expects STREAM ERROR for that stream. */
    private static void assertStreamError(RawClient client, VolumeRef volume, int flags, byte[] payload)
        throws IOException {
        Packet reply = client.roundTrip(RemoteProcedure.STORAGE_VOL_UPLOAD.number(), out -> {
            Types.writeVolume(out, volume);
            out.writeHyper(0).writeHyper(0).writeInt(flags);
        });
        assertEquals(MessageStatus.OK, reply.header().status(), reply.toString());
        Header call = reply.header();
        client.send(Packet.encodeRaw(call.streamHole(), payload, 0, payload.length));
        Packet answer = client.read(10_000);
        assertNotNull(answer, "no answer to the hole");
        assertEquals(MessageType.STREAM, answer.header().type());
        assertEquals(MessageStatus.ERROR, answer.header().status());
        assertEquals(call.serial(), answer.header().serial());
        assertNotNull(RemoteError.read(answer.payload()).message());
    }

    private static byte[] hole(long length) {
        XdrWriter out = new XdrWriter();
        out.writeHyper(length).writeInt(0);
        return out.toByteArray();
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

    /**
     * Writes 1 MiB of random data, a 39 MiB hole, 1 MiB of random data and a 23 MiB trailing hole, and
     * returns the SHA-256 of those 64 MiB.
     */
    private static byte[] writeSparse(Path file) throws Exception {
        Random random = new Random(11);
        byte[] data = new byte[1 << 20];
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            random.nextBytes(data);
            out.write(data);
            random.nextBytes(data);
            out.seek(40 << 20);
            out.write(data);
            out.setLength(SPARSE_SIZE);
        }
        return sha256(file);
    }

    /** What the file system allocated for a file (stat's %b blocks of 512 bytes). */
    private static long allocatedBytes(Path file) throws IOException, InterruptedException {
        Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
        String out = new String(stat.getInputStream().readAllBytes()).trim();
        assertEquals(0, stat.waitFor(), out);
        return Long.parseLong(out) * 512;
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
