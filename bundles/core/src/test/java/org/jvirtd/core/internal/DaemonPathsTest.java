package org.jvirtd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jvirtd.core.config.DaemonPaths;

class DaemonPathsTest {
    @Test
    void rootGetsTheSystemLayout() {
        DaemonPaths paths = DaemonPaths.resolve(null, true, Map.of(), "/root");
        assertEquals(Path.of("/etc/jvirtd"), paths.configDir());
        assertEquals(Path.of("/run/libvirt/libvirt-sock"), paths.readWriteSocket());
        assertEquals(Path.of("/run/libvirt/libvirt-sock-ro"), paths.readOnlySocket());
        assertEquals(Path.of("/var/lib/jvirtd"), paths.stateDir());
        assertEquals(Path.of("/var/log/jvirtd"), paths.logDir());
    }

    @Test
    void sessionFollowsXdgVariables() {
        DaemonPaths paths = DaemonPaths.resolve(null, false,
            Map.of("XDG_CONFIG_HOME", "/h/cfg", "XDG_RUNTIME_DIR", "/run/user/1000"), "/h");
        assertFalse(paths.privileged());
        assertEquals(Path.of("/h/cfg/jvirtd"), paths.configDir());
        assertEquals(Path.of("/run/user/1000/libvirt/libvirt-sock"), paths.readWriteSocket());
        assertEquals(Path.of("/h/.local/share/jvirtd"), paths.stateDir());
        assertEquals(Path.of("/h/.cache/jvirtd/log"), paths.logDir());
    }

    @Test
    void rootOverridePrefixesEverySystemPath() {
        DaemonPaths paths = DaemonPaths.resolve("/tmp/t", false, Map.of(), "/h");
        assertEquals(Path.of("/tmp/t/etc/jvirtd/jvirtd.conf"), paths.daemonConfigFile());
        assertEquals(Path.of("/tmp/t/run/libvirt/libvirt-admin-sock"), paths.adminSocket());
        assertEquals(Path.of("/tmp/t/run/jvirtd"), paths.runDir());
    }
}
