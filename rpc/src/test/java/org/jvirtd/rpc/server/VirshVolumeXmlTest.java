package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.rpc.testing.Processes.Result;

/**
 * {@code virsh vol-dumpxml} of qcow2 and raw volumes in a dir pool prints what libvirtd 9.0 printed for the same
 * volumes made the same way ({@code peer-volumes/}, recorded from the peer): {@code <physical>},
 * {@code <timestamps>}, mode 0600, and, right after they are made, {@code <compat>} and {@code <features>} as
 * their definitions gave them ({@code created/}); once the pool is refreshed, the image header's compat,
 * {@code <clusterSize>} and {@code <features/>} ({@code refreshed/}). What depends on the file system and the
 * clock (allocation, the three times) comes from stat(1) of the same file.
 */
class VirshVolumeXmlTest {
    private static final List<String> VOLUMES = List.of("v.qcow2", "v11.qcow2", "vlazy.qcow2", "vraw.img");

    @Test
    void volumeXmlBeforeAndAfterARefreshIsLibvirtds() throws Exception {
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults())) {
            Path pool = daemon.root().resolve("p1");
            virsh(daemon, "pool-define-as", "p1", "dir", "--target", pool.toString());
            virsh(daemon, "pool-build", "p1");
            virsh(daemon, "pool-start", "p1");
            virsh(daemon, "vol-create-as", "p1", "v.qcow2", "1G", "--format", "qcow2");
            create(daemon, "<volume><name>v11.qcow2</name><capacity unit='M'>64</capacity><target>"
                + "<format type='qcow2'/><compat>1.1</compat></target></volume>");
            create(daemon, "<volume><name>vlazy.qcow2</name><capacity unit='M'>64</capacity><target>"
                + "<format type='qcow2'/><features><lazy_refcounts/></features></target></volume>");
            create(daemon, "<volume><name>vraw.img</name><capacity unit='M'>64</capacity><allocation>0</allocation>"
                + "</volume>");
            for (String volume : VOLUMES) {
                String printed = virsh(daemon, "vol-dumpxml", "--pool", "p1", volume).stdout();
                assertEquals(expected("created", volume, pool), printed, volume + " as made");
            }
            virsh(daemon, "pool-refresh", "p1");
            for (String volume : VOLUMES) {
                String printed = virsh(daemon, "vol-dumpxml", "--pool", "p1", volume).stdout();
                assertEquals(expected("refreshed", volume, pool), printed, volume + " after pool-refresh");
            }

            // written behind the daemon's back: like libvirt, each vol-dumpxml and vol-info reads the file again
            try (RandomAccessFile raw = new RandomAccessFile(pool.resolve("vraw.img").toFile(), "rw")) {
                raw.write(new byte[3 << 20]);
                raw.getFD().sync();
            }
            assertEquals(expected("refreshed", "vraw.img", pool),
                virsh(daemon, "vol-dumpxml", "--pool", "p1", "vraw.img").stdout(), "vraw.img after a write");
            assertTrue(virsh(daemon, "vol-info", "--pool", "p1", "vraw.img").stdout()
                .contains("Allocation:     3.00 MiB"), "vol-info after a write");
        }
    }

    /** The peer's document with this run's pool directory and the file's allocation and times. */
    private static String expected(String state, String volume, Path pool) throws Exception {
        String[] stat = Processes.run(List.of("stat", "-c", "%b %B %.9X %.9Y %.9Z", pool.resolve(volume).toString()),
            null, 10).stdout().trim().split(" ");
        try (InputStream in = VirshVolumeXmlTest.class.getResourceAsStream("peer-volumes/" + state + "/" + volume + ".xml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("POOL", pool.toString())
                .replace("ALLOCATION", Long.toString(Long.parseLong(stat[0]) * Long.parseLong(stat[1])))
                .replace("ATIME", time(stat[2])).replace("MTIME", time(stat[3])).replace("CTIME", time(stat[4]));
        }
    }

    /** libvirt leaves out the fraction when the nanoseconds are 0. */
    private static String time(String statSeconds) {
        return statSeconds.endsWith(".000000000") ? statSeconds.substring(0, statSeconds.indexOf('.')) : statSeconds;
    }

    private static void create(InProcessDaemon daemon, String xml) throws Exception {
        Path file = Files.createTempFile(daemon.root(), "vol", ".xml");
        Files.writeString(file, xml);
        virsh(daemon, "vol-create", "p1", file.toString());
    }

    private static Result virsh(InProcessDaemon daemon, String... args) throws IOException, InterruptedException {
        Result result = Processes.virsh(daemon.uri(), args);
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }
}
