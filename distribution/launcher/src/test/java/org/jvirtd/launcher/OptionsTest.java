package org.jvirtd.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void readsLibvirtdsShortAndLongOptions() {
        Options o = Options.parse(new String[] {"-d", "-f", "/etc/x.conf", "--pid-file=/run/x.pid", "-t", "30", "-v",
            "--listen", "--root", "/tmp/r"});
        assertTrue(o.daemon());
        assertEquals("/etc/x.conf", o.config());
        assertEquals("/run/x.pid", o.pidFile());
        assertEquals(30, o.timeout());
        assertTrue(o.verbose());
        assertTrue(o.listen());
        assertEquals("/tmp/r", o.root());
    }

    @Test
    void rejectsUnknownOptionsAndBadTimeouts() {
        assertEquals("unrecognized option '--bogus'",
            assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--bogus"})).getMessage());
        assertEquals("Invalid value for timeout: x",
            assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"-t", "x"})).getMessage());
        assertEquals("option '-f' requires an argument",
            assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"-f"})).getMessage());
    }
}
