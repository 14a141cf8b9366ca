package org.jvirtd.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvirtd.api.VirtException;
import org.jvirtd.platform.conf.ConfFile;

/**
 * The libvirtd.conf / qemu.conf parser: a file parses, and every key reads as a string, number, bool and
 * list, or fails with a VirtException (VIR_ERR_CONF_SYNTAX and friends). Seeds: the xl.cfg files in
 * ../shared/conformance/xlconfig (the same key = value syntax) and a few made here.
 */
class ConfFileFuzzTest {
    private static final FuzzTally TALLY = new FuzzTally("conf-file");

    static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>(SeedCorpus.sharedFiles("conformance/xlconfig", ".cfg"));
        seeds.addAll(madeSeeds());
        return seeds;
    }

    /** Daemon and driver settings as jvirtd's users write them. */
    static List<byte[]> madeSeeds() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(SeedCorpus.utf8("listen_tls = 0\nlisten_tcp = 1\nauth_tcp = \"none\"\n"
            + "unix_sock_group = \"libvirt\"\nmax_clients = 5000\n# comment\n"
            + "access_drivers = [ \"polkit\", \"none\" ]\n"));
        seeds.add(SeedCorpus.utf8("user = \"root\"\ngroup = \"root\"\ncgroup_device_acl = [\n  \"/dev/null\",\n"
            + "  \"/dev/kvm\"\n]\nvnc_listen = \"0.0.0.0\"\nkeepalive_interval = -1\nsecurity_driver = \"none\"\n"));
        return seeds;
    }

    @BeforeAll
    static void plantSeeds() {
        SeedCorpus.plant(ConfFileFuzzTest.class, "parse", seeds());
    }

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        TALLY.count();
        readEverything(new String(input, StandardCharsets.UTF_8));
    }

    static void readEverything(String text) {
        ConfFile conf;
        try {
            conf = ConfFile.parse("fuzz.conf", text);
        } catch (VirtException refused) {
            return;
        }
        for (String key : conf.values().keySet()) {
            readQuietly(() -> conf.string(key, ""));
            readQuietly(() -> conf.number(key, 0));
            readQuietly(() -> conf.bool(key, false));
            readQuietly(() -> conf.strings(key, List.of()));
        }
    }

    private static void readQuietly(Runnable read) {
        try {
            read.run();
        } catch (VirtException wrongType) {
            // a value of another type: the documented error
        }
    }

    @Test
    void everySeedIsReadWithoutAnUndocumentedFailure() {
        assumeFalse(FuzzMode.fuzzing(), "the fuzz run replays the seeds itself");
        for (byte[] seed : madeSeeds()) {
            ConfFile.parse("seed.conf", new String(seed, StandardCharsets.UTF_8));
        }
        for (byte[] seed : seeds()) {
            readEverything(new String(seed, StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void report() {
        TALLY.report();
    }
}
