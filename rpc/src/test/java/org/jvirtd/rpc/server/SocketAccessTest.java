package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.rpc.dispatch.Dispatcher;
import org.jvirtd.rpc.procedures.RemoteProgram;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.testing.Prerequisite;

/**
 * Socket access for real users (root only: users and a group are created and removed): a member of
 * unix_sock_group connects read-write through the group bits, anyone else only read-only.
 */
class SocketAccessTest {
    private static final String SUFFIX = Long.toString(ProcessHandle.current().pid(), 36);
    private static final String GROUP = "jvtg" + SUFFIX;
    private static final String MEMBER = "jvtm" + SUFFIX;
    private static final String OUTSIDER = "jvto" + SUFFIX;

    private static Path root;
    private static InProcessDaemon daemon;
    private static RpcServer server;
    private static List<Listener> listeners;

    @BeforeAll
    static void createUsersAndServe() throws Exception {
        Prerequisite.require("root (to create users)", "root".equals(System.getProperty("user.name")));
        run("groupadd", GROUP);
        run("useradd", "-M", "-N", "-G", GROUP, MEMBER);
        run("useradd", "-M", "-N", OUTSIDER);
        root = Files.createTempDirectory("jvirtd-access");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        ConfFile conf = ConfFile.parse("jvirtd.conf", "unix_sock_group = \"" + GROUP + "\"\n");
        listeners = ListenerConfig.listeners(conf, DaemonPaths.resolve(root.toString(), true, Map.of(), "/"), false,
            "/nonexistent");
        daemon = new InProcessDaemon(ServerSettings.defaults());
        server = new RpcServer(new Dispatcher(RemoteProgram.table(daemon.hypervisors())), ServerSettings.defaults(),
            listeners);
    }

    @AfterAll
    static void removeUsers() throws Exception {
        if (server != null) {
            server.close();
            daemon.close();
        }
        for (String user : List.of(MEMBER, OUTSIDER)) {
            Processes.run(List.of("userdel", user), null, 30);
        }
        Processes.run(List.of("groupdel", GROUP), null, 30);
        if (root != null) {
            Processes.run(List.of("rm", "-rf", root.toString()), null, 30);
        }
    }

    private static void run(String... command) throws Exception {
        Processes.Result result = Processes.run(List.of(command), null, 30);
        assertEquals(0, result.exitCode(), result.toString());
    }

    private static Processes.Result virshAs(String user, Path socket) throws Exception {
        List<String> command = new ArrayList<>(List.of("runuser", "-u", user, "--", "env", "HOME=/tmp",
            "virsh", "-c", "test+unix:///default?socket=" + socket, "hostname"));
        return Processes.run(command, null, 60);
    }

    @Test
    void socketsCarryTheConfiguredGroupAndModes() throws Exception {
        Path readWrite = listeners.get(0).path();
        assertEquals(GROUP, Files.readAttributes(readWrite, java.nio.file.attribute.PosixFileAttributes.class)
            .group().getName());
        assertEquals("rwxrwx---", PosixFilePermissions.toString(Files.getPosixFilePermissions(readWrite)));
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(
            listeners.get(1).path())));
    }

    @Test
    void groupMemberConnectsReadWrite() throws Exception {
        Processes.Result result = virshAs(MEMBER, listeners.get(0).path());
        assertEquals(0, result.exitCode(), result.toString());
    }

    @Test
    void outsiderIsRefusedReadWriteButConnectsReadOnly() throws Exception {
        Processes.Result refused = virshAs(OUTSIDER, listeners.get(0).path());
        assertNotEquals(0, refused.exitCode(), refused.toString());
        assertTrue(refused.stderr().contains("Permission denied"), refused.stderr());
        Processes.Result readOnly = virshAs(OUTSIDER, listeners.get(1).path());
        assertEquals(0, readOnly.exitCode(), readOnly.toString());
    }
}
