package org.jvirtd.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class PrerequisiteTest {
    @Test
    void aMissingPrerequisiteFailsUnderCiNamingIt() {
        AssertionError e = assertThrows(AssertionError.class,
            () -> new Prerequisite(Map.of("CI", "true")).check("xmllint on PATH", false));
        assertTrue(e.getMessage().startsWith("missing prerequisite: xmllint on PATH (CI=true"), e.getMessage());
    }

    @Test
    void aMissingPrerequisiteSkipsADevelopersRun() {
        TestAbortedException e = assertThrows(TestAbortedException.class,
            () -> new Prerequisite(Map.of()).check("root and ip netns", false));
        assertTrue(e.getMessage().startsWith("missing prerequisite: root and ip netns (skipped"), e.getMessage());
        assertThrows(TestAbortedException.class, () -> new Prerequisite(Map.of("CI", "false")).check("x", false));
    }

    @Test
    void aPresentPrerequisiteLetsTheTestRunInBothKindsOfRun() {
        new Prerequisite(Map.of("CI", "true")).check("qemu", true);
        new Prerequisite(Map.of()).check("qemu", true);
    }

    @Test
    void programsAreLookedUpOnPath() {
        Prerequisite.requirePrograms("sh");
        Throwable e = assertThrows(Throwable.class, () -> Prerequisite.requirePrograms("no-such-program-jvirtd"));
        assertEquals(true, e.getMessage().contains("no-such-program-jvirtd on PATH"), e.getMessage());
    }
}
