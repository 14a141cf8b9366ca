package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.rpc.auth.AuthMethod;
import org.jvirtd.rpc.dispatch.Dispatcher;
import org.jvirtd.rpc.procedures.RemoteProgram;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;

/** TCP comes only with --listen, listen_tcp = 1 and auth_tcp = "none"; then virsh reaches it by test+tcp://. */
class TcpListenerTest {
    private static final String HOME = "/tmp/jvirtd-paths-home";
    private static final DaemonPaths PATHS = DaemonPaths.resolve("/tmp/jvirtd-paths", true, java.util.Map.of(), "/");

    @Test
    void tcpListenerNeedsListenFlagAndListenTcpAndTakesItsAuth() throws Exception {
        ConfFile tcp = ConfFile.parse("t", "listen_tcp = 1\nauth_tcp = \"none\"\ntcp_port = \"16599\"\n"
            + "listen_addr = \"127.0.0.1\"\nlisten_tls = 0\n");
        assertEquals(2, ListenerConfig.listeners(tcp, PATHS, false, HOME).size());
        List<Listener> listening = ListenerConfig.listeners(tcp, PATHS, true, HOME);
        assertEquals(3, listening.size());
        assertEquals(new InetSocketAddress("127.0.0.1", 16599), listening.get(2).address());
        assertEquals(AuthMethod.NONE, listening.get(2).auth().method());
        ConfFile sasl = ConfFile.parse("t", "listen_tcp = 1\nlisten_tls = 0\n");
        assertEquals(AuthMethod.SASL, ListenerConfig.listeners(sasl, PATHS, true, HOME).get(2).auth().method(),
            "libvirt's default auth_tcp");
        ConfFile polkitTcp = ConfFile.parse("t", "listen_tcp = 1\nlisten_tls = 0\nauth_tcp = \"polkit\"\n");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> ListenerConfig.listeners(polkitTcp, PATHS, true, HOME));
        assertTrue(refused.getMessage().contains("auth_tcp = \"polkit\""), refused.getMessage());
    }

    @Test
    void unixSocketModesComeFromTheConfig() throws Exception {
        ConfFile conf = ConfFile.parse("t", "unix_sock_rw_perms = \"0770\"\n");
        List<Listener> listeners = ListenerConfig.listeners(conf, PATHS, false, HOME);
        assertEquals("rwxrwx---", java.nio.file.attribute.PosixFilePermissions.toString(listeners.get(0).permissions()));
        assertEquals("rwxrwxrwx", java.nio.file.attribute.PosixFilePermissions.toString(listeners.get(1).permissions()));
        assertEquals(PATHS.readOnlySocket(), listeners.get(1).path());
    }

    @Test
    void virshOverTcpReachesTheServer() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults());
             RpcServer tcp = new RpcServer(new Dispatcher(RemoteProgram.table(daemon.hypervisors())),
                 ServerSettings.defaults(), List.of(Listener.tcp(new InetSocketAddress("127.0.0.1", port))))) {
            Processes.Result result = Processes.virsh("test+tcp://127.0.0.1:" + port + "/default", "version");
            assertEquals(0, result.exitCode(), result.toString());
            assertTrue(result.stdout().contains("Using API: TEST 9.0.0"), result.stdout());
            Processes.Result secure = Processes.run(List.of("/usr/bin/python3", "-c",
                "import libvirt; print(libvirt.open('test+tcp://127.0.0.1:" + port + "/default').isSecure())"),
                null, 30);
            assertEquals("0", secure.stdout().trim(), secure.toString());
        }
    }
}
