package org.jvirtd.fuzz;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.PoolXml;
import org.jvirtd.model.storage.VolumeDef;
import org.jvirtd.model.storage.VolumeXml;

/**
 * Storage volume XML (STORAGE_VOL_CREATE_XML) in a dir pool and a logical pool: parses, formats and parses
 * again, or fails with a VirtException. Seeds: storagevolxml2xml and storagevolxml2argv inputs.
 */
class VolumeXmlFuzzTest {
    private static final FuzzTally TALLY = new FuzzTally("volume-xml");
    private static final PoolDef[] POOLS = {
        PoolXml.parse("<pool type='dir'><name>fuzz</name><target><path>/var/lib/fuzz</path></target></pool>"),
        PoolXml.parse("<pool type='logical'><name>vg</name><source><name>vg</name></source>"
            + "<target><path>/dev/vg</path></target></pool>"),
    };

    @BeforeAll
    static void plantSeeds() {
        SeedCorpus.plant(VolumeXmlFuzzTest.class, "parse",
            SeedCorpus.sharedFiles("conformance/storagevolxml2xml", ".xml"));
        SeedCorpus.plant(VolumeXmlFuzzTest.class, "parse",
            SeedCorpus.sharedFiles("conformance/storagevolxml2argv", ".xml"));
    }

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        TALLY.count();
        roundTrip(new String(input, StandardCharsets.UTF_8));
    }

    static void roundTrip(String xml) {
        for (PoolDef pool : POOLS) {
            VolumeDef def;
            try {
                def = VolumeXml.parse(pool, xml, 0);
            } catch (VirtException refused) {
                continue;
            }
            VolumeXml.parse(pool, VolumeXml.format(def, 0), 0);
        }
    }

    @Test
    void everyConformanceInputParsesOrIsRefusedTheLibvirtWay() {
        assumeFalse(FuzzMode.fuzzing(), "the fuzz run replays the seeds itself");
        for (String dir : new String[] {"storagevolxml2xml", "storagevolxml2argv"}) {
            for (byte[] seed : SeedCorpus.sharedFiles("conformance/" + dir, ".xml")) {
                roundTrip(new String(seed, StandardCharsets.UTF_8));
            }
        }
    }

    @AfterAll
    static void report() {
        TALLY.report();
    }
}
