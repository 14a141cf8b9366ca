package org.jvirtd.model.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Numbers as QEMU writes them, including the uint64 maximum it uses for "no value". */
class JsonTest {
    @Test
    void uint64MaximumKeepsItsBitsAsMinusOne() {
        Object parsed = Json.read("{\"stats\":{\"stat-swap-in\":18446744073709551615,\"stat-free\":123},"
            + "\"last-update\":0}");
        @SuppressWarnings("unchecked")
        Map<String, Object> stats = (Map<String, Object>) ((Map<String, Object>) parsed).get("stats");
        assertEquals(-1L, stats.get("stat-swap-in"));
        assertEquals(123L, stats.get("stat-free"));
    }

    @Test
    void integersBeyondSixtyFourBitsBecomeDoublesAndSignedOnesStayLongs() {
        assertEquals(1e20, Json.read("100000000000000000000"));
        assertEquals(-5L, Json.read("-5"));
        assertEquals(1.5, Json.read("1.5"));
    }
}
