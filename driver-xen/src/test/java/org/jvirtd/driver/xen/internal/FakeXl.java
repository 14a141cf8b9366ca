package org.jvirtd.driver.xen.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jvirtd.driver.xen.internal.toolstack.XlCommand;

/**
 * The fake xl of src/test/fake-xl (captures replayed, domains kept in a state folder, every command line logged)
 * and a driver that runs it on a host made to look like dom0 (a capabilities file saying control_d).
 */
final class FakeXl {
    static final Path PROGRAM = Path.of("src/test/fake-xl/xl").toAbsolutePath();

    final Path state;
    final Path capabilities;

    FakeXl(Path dir) throws IOException {
        this.state = Files.createDirectories(dir.resolve("fake-xl"));
        this.capabilities = dir.resolve("capabilities");
        Files.writeString(capabilities, "control_d\n");
    }

    XenDriver driver(Map<String, String> extraEnvironment) {
        Map<String, String> env = new java.util.HashMap<>(extraEnvironment);
        env.put("FAKE_XL_STATE", state.toString());
        return new XenDriver(new XenHost(capabilities, PROGRAM.getParent().toString()),
            new XlCommand(PROGRAM.toString(), env), Duration.ofHours(1));
    }

    XenDriver driver() {
        return driver(Map.of());
    }

    /** The command lines xl received so far, and forgets them. */
    List<String> commands() throws IOException {
        Path log = state.resolve("commands.log");
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        Files.deleteIfExists(log);
        return new ArrayList<>(lines);
    }

    /** Runs the fake xl directly, as an administrator at the dom0 shell would run the real one. */
    void run(String... args) {
        new XlCommand(PROGRAM.toString(), Map.of("FAKE_XL_STATE", state.toString()))
            .run(XlCommand.QUICK, args);
    }
}
