package org.jvirtd.rpc.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvirtd.rpc.dispatch.Dispatcher;
import org.jvirtd.rpc.procedures.RemoteProgram;
import org.jvirtd.rpc.server.Listener;
import org.jvirtd.rpc.server.RpcServer;
import org.jvirtd.rpc.server.ServerSettings;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.rpc.testing.RawClient;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.RemoteError;
import org.jvirtd.testing.Prerequisite;

/**
 * SASL through Cyrus SASL itself: a sasldb made by saslpasswd2, a libvirt.conf naming it, and the real
 * virsh and libvirt-python taking their credentials from an auth.conf. On TCP the client insists on a
 * security layer, so DIGEST-MD5 negotiates one and the rest of the connection is encoded; on a unix socket
 * SCRAM-SHA-256 authenticates without one.
 */
class SaslAuthTest {
    private static Path dir;

    @BeforeAll
    static void sasldb() throws Exception {
        Prerequisite.requirePrograms("saslpasswd2", "virsh");
        Prerequisite.require("libsasl2.so.2 with the DIGEST-MD5 and SCRAM plugins (libsasl2-modules)",
            Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/sasl2/libdigestmd5.so"))
                && Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/sasl2/libscram.so")));
        dir = Files.createTempDirectory("jvirtd-sasl");
        Files.writeString(dir.resolve("libvirt.conf"), "mech_list: digest-md5 scram-sha-256\nsasldb_path: "
            + dir.resolve("passwd.db") + "\n");
        for (String[] user : new String[][] {{"alice", "secret1"}, {"bob", "secret2"}}) {
            Processes.Result made = Processes.run(List.of("saslpasswd2", "-p", "-c", "-a", "libvirt", "-f",
                dir.resolve("passwd.db").toString(), user[0]), user[1], 30);
            assertEquals(0, made.exitCode(), made.toString());
        }
    }

    private static AuthSettings settings(List<String> allowed) {
        return new AuthSettings(UsernameAcl.of(allowed), PolkitAuthority.system(), dir.toString());
    }

    /** An auth.conf giving {@code user} and {@code password} for any host. */
    private static Path authFile(String user, String password) throws Exception {
        Path file = Files.createTempFile(dir, "auth", ".conf");
        Files.writeString(file, "[credentials-c]\nauthname=" + user + "\npassword=" + password
            + "\n[auth-libvirt-127.0.0.1]\ncredentials=c\n[auth-libvirt-localhost]\ncredentials=c\n"
            + "[auth-libvirt-default]\ncredentials=c\n");
        return file;
    }

    private static Processes.Result virsh(Path auth, String uri, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("env", "LIBVIRT_AUTH_FILE=" + auth, "virsh", "-c", uri));
        command.addAll(List.of(args));
        return Processes.run(command, null, 60);
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static RpcServer tcpServer(InProcessDaemon daemon, int port, List<String> allowed) throws Exception {
        Listener tcp = Listener.tcp(new InetSocketAddress("127.0.0.1", port))
            .withAuth(new ListenerAuth(AuthMethod.SASL, settings(allowed)));
        return new RpcServer(new Dispatcher(RemoteProgram.table(daemon.hypervisors())), ServerSettings.defaults(),
            List.of(tcp));
    }

    @Test
    void virshOverTcpConnectsWithGoodCredentialsUnderTheSecurityLayerAndIsRefusedWithBad() throws Exception {
        int port = freePort();
        String uri = "test+tcp://127.0.0.1:" + port + "/default";
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults());
             RpcServer server = tcpServer(daemon, port, null)) {
            Processes.Result good = virsh(authFile("alice", "secret1"), uri, "list", "--all");
            assertEquals(0, good.exitCode(), good.toString());
            assertTrue(good.stdout().contains(" Id   Name"), good.stdout());

            Processes.Result bad = virsh(authFile("alice", "wrong"), uri, "list", "--all");
            assertEquals(1, bad.exitCode(), bad.toString());
            assertTrue(bad.stderr().contains("error: authentication failed: authentication failed"), bad.stderr());

            Processes.Result unknown = virsh(authFile("mallory", "secret1"), uri, "list", "--all");
            assertEquals(1, unknown.exitCode(), unknown.toString());
            assertTrue(unknown.stderr().contains("authentication failed: authentication failed"), unknown.stderr());
        }
    }

    @Test
    void pythonOpenAuthMovesLargeDocumentsBothWaysThroughTheLayer() throws Exception {
        int port = freePort();
        String uri = "test+tcp://127.0.0.1:" + port + "/default";
        // 200 KB of description: many SASL records each way, and records split across reads
        String script = String.join("\n",
            "import libvirt, sys",
            "def cb(creds, data):",
            "    for c in creds:",
            "        if c[0] == libvirt.VIR_CRED_AUTHNAME: c[4] = 'bob'",
            "        elif c[0] == libvirt.VIR_CRED_PASSPHRASE: c[4] = 'secret2'",
            "    return 0",
            "auth = [[libvirt.VIR_CRED_AUTHNAME, libvirt.VIR_CRED_PASSPHRASE], cb, None]",
            "conn = libvirt.openAuth(sys.argv[1], auth, 0)",
            "text = 'x' * 200000",
            "xml = '<domain type=\"test\"><name>big</name><description>' + text + '</description>'"
                + " + '<memory>8192</memory><os><type>hvm</type></os></domain>'",
            "dom = conn.defineXML(xml)",
            "back = conn.lookupByName('big').XMLDesc(0)",
            "print(text in back, conn.isSecure(), conn.getHostname() != '')");
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults());
             RpcServer server = tcpServer(daemon, port, null)) {
            Processes.Result result = Processes.run(List.of("/usr/bin/python3", "-c", script, uri), null, 120);
            assertEquals(0, result.exitCode(), result.toString());
            // libvirt counts a connection with a SASL layer of 56 bits or more as secure
            assertEquals("True 1 True", result.stdout().trim(), result.toString());
        }
    }

    @Test
    void clientsStillToAuthenticateAreLimitedByMaxAnonymousClients() throws Exception {
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults())) {
            Path socket = daemon.root().resolve("sasl-limited");
            Listener unix = Listener.unix(socket, false, null, null)
                .withAuth(new ListenerAuth(AuthMethod.SASL, settings(null)));
            ServerSettings twoAnonymous = new ServerSettings(5000, 1000, 5, 20, 5, 5, 5, 5, 2);
            try (RpcServer server = new RpcServer(new Dispatcher(RemoteProgram.table(daemon.hypervisors())),
                twoAnonymous, List.of(unix));
                 RawClient first = new RawClient(socket);
                 RawClient second = new RawClient(socket)) {
                assertEquals(MessageStatus.OK, first.roundTrip(66, null).header().status());
                assertEquals(MessageStatus.OK, second.roundTrip(66, null).header().status());
                assertEquals(2, server.clientLimits().anonymous());
                String uri = "test+unix:///default?socket=" + socket;
                // the third waits in the backlog while two are unauthenticated...
                Process waiting = new ProcessBuilder("env", "LIBVIRT_AUTH_FILE=" + authFile("alice", "secret1"),
                    "virsh", "-c", uri, "hostname").redirectErrorStream(true).start();
                Thread.sleep(1500);
                assertTrue(waiting.isAlive(), "a client beyond max_anonymous_clients was served");
                assertEquals(2, server.clientLimits().connected());
                // ...and gets in once one of them leaves
                first.close();
                assertTrue(waiting.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "still waiting");
                assertEquals(0, waiting.exitValue(), new String(waiting.getInputStream().readAllBytes()));
                // an authenticated client no longer counts
                Processes.Result again = virsh(authFile("alice", "secret1"), uri, "hostname");
                assertEquals(0, again.exitCode(), again.toString());
                assertEquals(1, server.clientLimits().anonymous());
            }
        }
    }

    @Test
    void tcpMinSsfAboveWhatTheMechanismsOfferRefusesEveryone() throws Exception {
        int port = freePort();
        Listener tcp = Listener.tcp(new InetSocketAddress("127.0.0.1", port)).withAuth(new ListenerAuth(
            AuthMethod.SASL, new AuthSettings(UsernameAcl.of(null), PolkitAuthority.system(), dir.toString(), 512)));
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults());
             RpcServer server = new RpcServer(new Dispatcher(RemoteProgram.table(daemon.hypervisors())),
                 ServerSettings.defaults(), List.of(tcp))) {
            Processes.Result result = virsh(authFile("alice", "secret1"), "test+tcp://127.0.0.1:" + port
                + "/default", "list", "--all");
            assertEquals(1, result.exitCode(), result.toString());
        }
    }

    @Test
    void saslAllowedUsernameListLetsOnlyMatchingUsersIn() throws Exception {
        int port = freePort();
        String uri = "test+tcp://127.0.0.1:" + port + "/default";
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults());
             RpcServer server = tcpServer(daemon, port, List.of("b?b", "carol*"))) {
            Processes.Result bob = virsh(authFile("bob", "secret2"), uri, "list", "--all");
            assertEquals(0, bob.exitCode(), bob.toString());
            Processes.Result alice = virsh(authFile("alice", "secret1"), uri, "list", "--all");
            assertEquals(1, alice.exitCode(), alice.toString());
            assertTrue(alice.stderr().contains("authentication failed: authentication failed"), alice.stderr());
        }
    }

    @Test
    void unixSocketAuthenticatesWithScramAndRefusesCallsBeforehand() throws Exception {
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults())) {
            Path socket = daemon.root().resolve("sasl-sock");
            Listener unix = Listener.unix(socket, false, null, null)
                .withAuth(new ListenerAuth(AuthMethod.SASL, settings(null)));
            try (RpcServer server = new RpcServer(new Dispatcher(RemoteProgram.table(daemon.hypervisors())),
                ServerSettings.defaults(), List.of(unix))) {
                String uri = "test+unix:///default?socket=" + socket;
                Processes.Result good = virsh(authFile("alice", "secret1"), uri, "list", "--all");
                assertEquals(0, good.exitCode(), good.toString());
                Processes.Result bad = virsh(authFile("bob", "secret1"), uri, "list", "--all");
                assertEquals(1, bad.exitCode(), bad.toString());
                assertTrue(bad.stderr().contains("authentication failed: authentication failed"), bad.stderr());

                try (RawClient raw = new RawClient(socket)) {
                    Packet list = raw.roundTrip(66, null);
                    assertEquals(MessageStatus.OK, list.header().status());
                    var types = list.payload();
                    assertEquals(1, types.readInt());
                    assertEquals(AuthMethod.SASL.number(), types.readInt());
                    // as libvirtd 9.0: an RPC error in the remote domain, for clients older than AUTH_FAILED
                    RemoteError open = RawClient.error(raw.roundTrip(1, out -> {
                        out.writeBool(true);
                        out.writeString("test:///default");
                        out.writeInt(0);
                    }));
                    assertEquals(new RemoteError(39, 7, "authentication required", 2, "%s",
                        "authentication required", null, -1, -1), open);
                    RemoteError step = RawClient.error(raw.roundTrip(69, out -> {
                        out.writeInt(1);
                        out.writeInt(0);
                    }));
                    assertEquals(new RemoteError(45, 7, "authentication failed: authentication failed", 2,
                        "authentication failed: %s", "authentication failed", null, -1, -1), step);
                    String mechanisms = new String(raw.roundTrip(67, null).payload().readOpaque(1000),
                        StandardCharsets.UTF_8);
                    assertTrue(mechanisms.contains("SCRAM-SHA-256"), mechanisms);
                }
            }
        }
    }
}
