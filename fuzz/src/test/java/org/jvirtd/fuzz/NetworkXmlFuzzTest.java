package org.jvirtd.fuzz;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.model.network.NetworkXml;

/**
 * Network XML (NETWORK_DEFINE_XML, networks/*.xml): parses, formats and parses again, or fails with a
 * VirtException. Seeds: networkxml2xml and networkxml2conf inputs in ../shared/conformance.
 */
class NetworkXmlFuzzTest {
    private static final FuzzTally TALLY = new FuzzTally("network-xml");

    @BeforeAll
    static void plantSeeds() {
        SeedCorpus.plant(NetworkXmlFuzzTest.class, "parse",
            SeedCorpus.sharedFiles("conformance/networkxml2xml", ".xml"));
        SeedCorpus.plant(NetworkXmlFuzzTest.class, "parse",
            SeedCorpus.sharedFiles("conformance/networkxml2conf", ".xml"));
    }

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        TALLY.count();
        roundTrip(new String(input, StandardCharsets.UTF_8));
    }

    static void roundTrip(String xml) {
        NetworkDef def;
        try {
            def = NetworkXml.parse(xml);
        } catch (VirtException refused) {
            return;
        }
        NetworkXml.parse(NetworkXml.format(def, NetworkXml.INACTIVE));
    }

    @Test
    void everyConformanceInputParsesOrIsRefusedTheLibvirtWay() {
        assumeFalse(FuzzMode.fuzzing(), "the fuzz run replays the seeds itself");
        for (String dir : new String[] {"networkxml2xml", "networkxml2conf"}) {
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
