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

/**
 * Storage pool XML (STORAGE_POOL_DEFINE_XML, storage/*.xml): parses, formats and parses again, or fails
 * with a VirtException. Seeds: storagepoolxml2xml and storagepoolxml2argv inputs in ../shared/conformance.
 */
class PoolXmlFuzzTest {
    private static final FuzzTally TALLY = new FuzzTally("pool-xml");

    @BeforeAll
    static void plantSeeds() {
        SeedCorpus.plant(PoolXmlFuzzTest.class, "parse",
            SeedCorpus.sharedFiles("conformance/storagepoolxml2xml", ".xml"));
        SeedCorpus.plant(PoolXmlFuzzTest.class, "parse",
            SeedCorpus.sharedFiles("conformance/storagepoolxml2argv", ".xml"));
    }

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        TALLY.count();
        roundTrip(new String(input, StandardCharsets.UTF_8));
    }

    static void roundTrip(String xml) {
        PoolDef def;
        try {
            def = PoolXml.parse(xml);
        } catch (VirtException refused) {
            return;
        }
        PoolXml.parse(PoolXml.format(def, PoolXml.INACTIVE));
    }

    @Test
    void everyConformanceInputParsesOrIsRefusedTheLibvirtWay() {
        assumeFalse(FuzzMode.fuzzing(), "the fuzz run replays the seeds itself");
        for (String dir : new String[] {"storagepoolxml2xml", "storagepoolxml2argv"}) {
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
