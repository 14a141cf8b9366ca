package org.jvirtd.platform.tty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A real pseudo-terminal whose master side is held by a Python process that answers every byte in upper
 * case and leaves when told: bytes travel both ways, a close from another thread ends a waiting read, and
 * the master going away reads as the end.
 */
class TerminalTest {
    private static final String MASTER = String.join("\n",
        "import os, pty, sys, tty",
        "m, s = pty.openpty()",
        "tty.setraw(s)",
        "print(os.ttyname(s), flush=True)",
        "while True:",
        "    data = os.read(m, 100)",
        "    if b'q' in data: break",
        "    os.write(m, data.upper())");

    @Test
    void bytesGoBothWaysAndTheMastersExitEndsTheReads() throws Exception {
        Process master = new ProcessBuilder("python3", "-c", MASTER).start();
        try {
            Path pty = Path.of(new BufferedReader(new InputStreamReader(master.getInputStream(),
                StandardCharsets.UTF_8)).readLine());
            try (Terminal terminal = Terminal.open(pty)) {
                terminal.write("hello".getBytes(StandardCharsets.US_ASCII), 0, 5);
                StringBuilder answer = new StringBuilder();
                byte[] buffer = new byte[64];
                while (answer.length() < 5) {
                    int n = terminal.read(buffer);
                    assertTrue(n > 0, "read " + n);
                    answer.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
                }
                assertEquals("HELLO", answer.toString());
                terminal.write(new byte[] {'q'}, 0, 1);
                assertTrue(master.waitFor(10, TimeUnit.SECONDS), "the master side left");
                assertEquals(-1, terminal.read(buffer), "a terminal whose master went away ends");
            }
        } finally {
            master.destroyForcibly();
        }
    }

    @Test
    void closeFromAnotherThreadEndsAWaitingRead() throws Exception {
        Process master = new ProcessBuilder("python3", "-c", MASTER).start();
        try {
            Path pty = Path.of(new BufferedReader(new InputStreamReader(master.getInputStream(),
                StandardCharsets.UTF_8)).readLine());
            Terminal terminal = Terminal.open(pty);
            CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return terminal.read(new byte[16]);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            terminal.close();
            assertEquals(-1, read.get(5, TimeUnit.SECONDS));
            assertThrows(IOException.class, () -> terminal.write(new byte[] {'x'}, 0, 1));
        } finally {
            master.destroyForcibly();
        }
    }

    @Test
    void aMissingDeviceFailsToOpen() {
        IOException e = assertThrows(IOException.class, () -> Terminal.open(Path.of("/dev/pts/no-such-terminal")));
        assertTrue(e.getMessage().contains("/dev/pts/no-such-terminal"), e.getMessage());
    }
}
