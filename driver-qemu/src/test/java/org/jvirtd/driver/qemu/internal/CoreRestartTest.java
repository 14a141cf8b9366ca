package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.core.internal.CoreHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted core takes over the QEMU driver's definitions: the old core's domain store has released the
 * definitions' journal, so the new one replays it, and defines and undefines, without an error logged. A second
 * core over a folder whose core still runs is refused, as no daemon runs two.
 */
class CoreRestartTest {
    /** Kept here: java.util.logging holds its loggers weakly, and the handler must outlive the test's first line. */
    private static final Logger JVIRTD = Logger.getLogger("org.jvirtd");

    @TempDir
    Path root;

    private final List<String> severe = new CopyOnWriteArrayList<>();
    private final Handler collector = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                severe.add(record.getLoggerName() + ": " + record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private CoreHarness core;

    @BeforeEach
    void collectSevereLogs() {
        JVIRTD.addHandler(collector);
    }

    @AfterEach
    void stop() {
        JVIRTD.removeHandler(collector);
        if (core != null) {
            core.close();
        }
    }

    @Test
    void aRestartedCoreOwnsTheDefinitionsJournalAndLogsNoError() {
        core = new CoreHarness(root);
        QemuDriver first = TinyGuest.driver(root);
        core.bind(first);
        Connection conn = core.open();
        conn.define(TinyGuest.domainXml("jq-kept", root, root.resolve("kept.log")), 0);
        first.deactivate();

        core = core.restart();
        core.bind(TinyGuest.driver(root));
        Connection again = core.open();
        assertEquals(List.of("jq-kept"), names(again), "the restarted core reads what the old one defined");
        again.define(TinyGuest.domainXml("jq-new", root, root.resolve("new.log")), 0);
        again.undefine(again.lookupByName("jq-kept"), 0);
        assertEquals(List.of("jq-new"), names(again));
        assertEquals(List.of(), severe, "errors logged across the restart");
    }

    private static List<String> names(Connection conn) {
        return conn.listAllDomains(0).stream().map(DomainRef::name).sorted().toList();
    }

    @Test
    void aSecondCoreOverAFolderWhoseCoreStillRunsIsRefused() {
        core = new CoreHarness(root);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new CoreHarness(root));
        assertEquals("a core over " + root.toAbsolutePath().normalize() + " still runs: restart() or close() it",
            refused.getMessage());
        core.close();
        new CoreHarness(root).close();
    }
}
