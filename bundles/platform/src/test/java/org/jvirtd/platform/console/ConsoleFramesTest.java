package org.jvirtd.platform.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConsoleFramesTest {
    @Test
    void framesComeBackInOrderWithKindTextAndStatus() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        ConsoleFrames.write(out, ConsoleFrames.OUT, "vm\n");
        ConsoleFrames.write(out, ConsoleFrames.ERR, "error: ünïcode");
        ConsoleFrames.done(out, 1);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        ConsoleFrames.Frame first = ConsoleFrames.read(in);
        assertEquals(ConsoleFrames.OUT, first.kind());
        assertEquals("vm\n", first.text());
        assertEquals("error: ünïcode", ConsoleFrames.read(in).text());
        ConsoleFrames.Frame done = ConsoleFrames.read(in);
        assertEquals(ConsoleFrames.DONE, done.kind());
        assertEquals(1, done.status());
        assertNull(ConsoleFrames.read(in));
    }

    @Test
    void partOfAByteArrayIsOneFrame() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleFrames.write(new DataOutputStream(bytes), ConsoleFrames.OUT, new byte[] {1, 2, 3, 4}, 1, 2);
        assertArrayEquals(new byte[] {2, 3},
            ConsoleFrames.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))).data());
    }

    @Test
    void anOversizedLengthIsNotAFrame() {
        byte[] bogus = {'O', 0x7f, 0, 0, 0};
        assertThrows(IOException.class, () -> ConsoleFrames.read(new DataInputStream(new ByteArrayInputStream(bogus))));
    }

    @Test
    void socketFollowsTheDaemonsRunDirectory() {
        assertEquals(Path.of("/tmp/r/run/jvirtd/shell-sock"), ConsoleSocket.of("/tmp/r", false, Map.of(), "/h"));
        assertEquals(Path.of("/run/jvirtd/shell-sock"), ConsoleSocket.of(null, true, Map.of(), "/root"));
        assertEquals(Path.of("/run/user/1000/jvirtd/shell-sock"),
            ConsoleSocket.of(null, false, Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), "/h"));
        assertEquals(Path.of("/h/.cache/jvirtd/shell-sock"), ConsoleSocket.of(null, false, Map.of(), "/h"));
    }
}
