package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.core.internal.LogControl;
import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.rpc.admin.AdminProgram;
import org.jvirtd.rpc.admin.AdminSettings;
import org.jvirtd.rpc.dispatch.Dispatcher;
import org.jvirtd.rpc.procedures.RemoteProgram;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;

/** The real virt-admin on libvirt-admin-sock: servers, clients, client identity, log filters and outputs. */
class AdminSocketTest {
    @TempDir
    static Path root;
    private static InProcessDaemon daemon;
    private static RpcServer main;
    private static RpcServer admin;
    private static List<Listener> listeners;
    private static String adminUri;

    @BeforeAll
    static void start() throws Exception {
        ConfFile conf = ConfFile.empty("jvirtd.conf");
        DaemonPaths paths = DaemonPaths.resolve(root.toString(), true, Map.of(), "/");
        daemon = new InProcessDaemon(ServerSettings.defaults());
        listeners = ListenerConfig.listeners(conf, paths, false, "/nonexistent");
        main = new RpcServer(new Dispatcher(RemoteProgram.table(daemon.hypervisors())), ServerSettings.defaults(),
            listeners);
        Map<String, RpcServer> servers = Collections.synchronizedMap(new LinkedHashMap<>());
        servers.put("libvirtd", main);
        Listener adminSocket = ListenerConfig.admin(conf, paths);
        admin = new RpcServer(new AdminProgram(servers, new LogControl(), null), AdminSettings.from(conf),
            List.of(adminSocket));
        servers.put("admin", admin);
        adminUri = "libvirtd:///system?socket=" + adminSocket.path();
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        main.close();
        daemon.close();
    }

    private static Processes.Result virtAdmin(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("virt-admin", "-c", adminUri));
        command.addAll(List.of(args));
        Processes.Result result = Processes.run(command, null, 60);
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }

    @Test
    void serverListNamesLibvirtdAndAdmin() throws Exception {
        String out = virtAdmin("server-list").stdout();
        assertTrue(out.matches("(?s).*0\\s+libvirtd.*1\\s+admin.*"), out);
    }

    @Test
    void connectedClientIsListedWithItsUnixIdentity() throws Exception {
        String uri = "test+unix:///default?socket=" + listeners.get(1).path();
        try (HeldClient client = HeldClient.open(uri)) {
            assertEquals("1", client.firstLine());
            long id = main.clients().get(0).id();
            String list = virtAdmin("client-list", "libvirtd").stdout();
            assertTrue(list.matches("(?s).*\\b" + id + "\\s+unix\\s+.*"), list);
            String info = virtAdmin("client-info", "libvirtd", String.valueOf(id)).stdout();
            assertTrue(info.matches("(?s).*readonly\\s*:\\s*yes.*"), info);
            assertTrue(info.matches("(?s).*unix_user_name\\s*:\\s*" + System.getProperty("user.name") + ".*"), info);
            String limits = virtAdmin("server-clients-info", "libvirtd").stdout();
            assertTrue(limits.matches("(?s).*nclients\\s*:\\s*1\\b.*"), limits);
        }
    }

    @Test
    void logFiltersAndOutputsChangeAtRuntime() throws Exception {
        virtAdmin("daemon-log-filters", "1:rpc 3:util");
        assertTrue(virtAdmin("daemon-log-filters").stdout().contains("1:rpc 3:util"));
        assertEquals(Level.FINE, Logger.getLogger("").getLevel(), "a debug filter opens the root logger");
        virtAdmin("daemon-log-outputs", "2:stderr");
        assertTrue(virtAdmin("daemon-log-outputs").stdout().contains("2:stderr"));
        virtAdmin("daemon-log-filters", "");
        virtAdmin("daemon-log-outputs", "");
        assertTrue(virtAdmin("daemon-log-outputs").stdout().contains("3:stderr"));
        Processes.Result bad = Processes.run(List.of("virt-admin", "-c", adminUri, "daemon-log-outputs", "9:nowhere"),
            null, 60);
        assertTrue(bad.exitCode() != 0 && bad.stderr().contains("Invalid log output '9:nowhere'"), bad.toString());
    }
}
