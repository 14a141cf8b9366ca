package org.jvirtd.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.secret.SecretUsageType;
import org.jvirtd.model.secret.SecretDef;
import org.jvirtd.model.secret.SecretXml;

/**
 * Secret XML (SECRET_DEFINE_XML, secrets/*.xml), with and without validation: parses, formats and parses
 * again, or fails with a VirtException. The conformance data has no secrets, so the seeds are made here by
 * our own formatter, one per usage type.
 */
class SecretXmlFuzzTest {
    private static final FuzzTally TALLY = new FuzzTally("secret-xml");

    static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (SecretUsageType usage : SecretUsageType.values()) {
            String id = usage == SecretUsageType.NONE ? null : "/var/lib/fuzz/" + usage.name().toLowerCase();
            SecretDef def = new SecretDef(UUID.nameUUIDFromBytes(id == null ? new byte[0] : SeedCorpus.utf8(id)),
                usage == SecretUsageType.CEPH, usage == SecretUsageType.TLS, "seed " + usage, usage, id);
            seeds.add(SeedCorpus.utf8(SecretXml.format(def)));
        }
        return seeds;
    }

    @BeforeAll
    static void plantSeeds() {
        SeedCorpus.plant(SecretXmlFuzzTest.class, "parse", seeds());
    }

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        TALLY.count();
        roundTrip(new String(input, StandardCharsets.UTF_8));
    }

    static void roundTrip(String xml) {
        for (boolean validate : new boolean[] {false, true}) {
            SecretDef def;
            try {
                def = SecretXml.parse(xml, validate);
            } catch (VirtException refused) {
                continue;
            }
            SecretXml.parse(SecretXml.format(def), validate);
        }
    }

    @Test
    void everySeedRoundTrips() {
        assumeFalse(FuzzMode.fuzzing(), "the fuzz run replays the seeds itself");
        for (byte[] seed : seeds()) {
            String xml = new String(seed, StandardCharsets.UTF_8);
            SecretXml.parse(xml, false);
            roundTrip(xml);
        }
    }

    @AfterAll
    static void report() {
        TALLY.report();
    }
}
