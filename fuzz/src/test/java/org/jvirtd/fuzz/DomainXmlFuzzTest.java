package org.jvirtd.fuzz;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.model.domain.DomainXml;

/**
 * Domain XML from a client (DOMAIN_DEFINE_XML) or a file: parsing either succeeds, and then the result
 * formats and parses again, or fails with a VirtException; nothing else may escape. Seeds: qemuxml2xml,
 * genericxml2xml and lxcxml2xml inputs in ../shared/conformance.
 */
class DomainXmlFuzzTest {
    private static final FuzzTally TALLY = new FuzzTally("domain-xml");

    @BeforeAll
    static void plantSeeds() {
        SeedCorpus.plant(DomainXmlFuzzTest.class, "parse", SeedCorpus.sharedFiles("conformance/qemuxml2xml", ".xml"));
        SeedCorpus.plant(DomainXmlFuzzTest.class, "parse",
            SeedCorpus.sharedFiles("conformance/genericxml2xml", ".xml"));
        SeedCorpus.plant(DomainXmlFuzzTest.class, "parse", SeedCorpus.sharedFiles("conformance/lxcxml2xml", ".xml"));
    }

    @FuzzTest(maxDuration = "20s")
    void parse(byte[] input) {
        TALLY.count();
        roundTrip(new String(input, StandardCharsets.UTF_8));
    }

    static void roundTrip(String xml) {
        for (int flags : new int[] {0, DomainXml.INACTIVE}) {
            DomainDef def;
            try {
                def = DomainXml.parse(xml, flags);
            } catch (VirtException refused) {
                continue;
            }
            DomainXml.parse(DomainXml.format(def, -1, DomainXml.INACTIVE), DomainXml.INACTIVE);
        }
    }

    @Test
    void everyConformanceInputParsesOrIsRefusedTheLibvirtWay() {
        assumeFalse(FuzzMode.fuzzing(), "the fuzz run replays the seeds itself");
        for (String dir : new String[] {"qemuxml2xml", "genericxml2xml", "lxcxml2xml"}) {
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
