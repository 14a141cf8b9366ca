package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.rpc.dispatch.Dispatcher;
import org.jvirtd.rpc.procedures.RemoteProgram;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.rpc.testing.TestPki;

/**
 * The TLS listener against the real virsh (GnuTLS): certificates from libvirt's default paths under the
 * daemon's root, client certificates checked against the CA, its revocation list (cacrl.pem) and
 * tls_allowed_dn_list, the list replaced at runtime as SIGHUP does and the files reread as
 * server-update-tls does.
 */
class TlsListenerTest {
    private static final String CLIENT_DN = "C=GB,O=jvirtd,CN=client1";

    @TempDir
    static Path dir;
    private static InProcessDaemon daemon;
    private static RpcServer server;
    private static TlsContext tls;
    private static int port;
    private static Path goodClient;
    private static Path foreignClient;
    private static Path revokedClient;
    private static Path laterRevokedClient;
    private static TestPki pki;
    private static Path ca;
    private static Path crl;

    @BeforeAll
    static void startTlsServer() throws Exception {
        Path root = dir.resolve("root");
        pki = new TestPki(dir.resolve("pki"));
        ca = pki.authority("jvirtd-test-ca");
        Path otherCa = pki.authority("other-ca");
        Files.createDirectories(root.resolve("etc/pki/CA"));
        Files.copy(ca.resolve("ca.pem"), root.resolve("etc/pki/CA/cacert.pem"));
        pki.server(ca, root.resolve("etc/pki/libvirt/private/serverkey.pem"),
            root.resolve("etc/pki/libvirt/servercert.pem"));
        goodClient = pki.client("good", "/C=GB/O=jvirtd/CN=client1", ca, ca);
        foreignClient = pki.client("foreign", "/C=GB/O=jvirtd/CN=client1", otherCa, ca);
        revokedClient = pki.client("revoked", "/C=GB/O=jvirtd/CN=client2", ca, ca);
        laterRevokedClient = pki.client("later-revoked", "/C=GB/O=jvirtd/CN=client3", ca, ca);
        crl = root.resolve("etc/pki/CA/cacrl.pem");
        pki.revocationList(ca, crl, revokedClient);
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ConfFile conf = ConfFile.parse("jvirtd.conf", "listen_tls = 1\nlisten_addr = \"127.0.0.1\"\ntls_port = \""
            + port + "\"\n");
        DaemonPaths paths = DaemonPaths.resolve(root.toString(), true, Map.of(), "/");
        List<Listener> listeners = ListenerConfig.listeners(conf, paths, true, "/nonexistent");
        Listener tlsListener = listeners.get(2);
        assertEquals(root.resolve("etc/pki/libvirt/private/serverkey.pem"), tlsListener.tls().files().key());
        assertEquals(crl, tlsListener.tls().files().crl());
        tls = tlsListener.tls();
        daemon = new InProcessDaemon(ServerSettings.defaults());
        server = new RpcServer(new Dispatcher(RemoteProgram.table(daemon.hypervisors())), ServerSettings.defaults(),
            List.of(tlsListener));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    private static String uri(Path pkiPath) {
        return "test+tls://127.0.0.1:" + port + "/default?pkipath=" + pkiPath;
    }

    @Test
    void virshWithACertificateOfTheDaemonsCaConnects() throws Exception {
        tls.configure(ConfFile.empty("none"));
        Processes.Result result = Processes.virsh(uri(goodClient), "version");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.stdout().contains("Using API: TEST 9.0.0"), result.stdout());
        Processes.Result big = Processes.virsh(uri(goodClient), "capabilities");
        assertEquals(0, big.exitCode(), big.toString());
        assertTrue(big.stdout().contains("</capabilities>"), big.stdout());
    }

    @Test
    void certificateFromAnotherCaIsRefused() throws Exception {
        tls.configure(ConfFile.empty("none"));
        Processes.Result result = Processes.virsh(uri(foreignClient), "version");
        assertNotEquals(0, result.exitCode(), result.toString());
        // refused in the handshake: virsh says why, unless the close beat it to its first read (see below)
        assertTrue(result.stderr().isBlank() || result.stderr().contains("TLS") || result.stderr().contains("certificate"),
            result.toString());
    }

    @Test
    void distinguishedNameOutsideTheAllowedListIsRefusedUntilTheListIsReloaded() throws Exception {
        tls.configure(ConfFile.parse("reloaded", "tls_allowed_dn_list = [\"C=GB,O=jvirtd,CN=admin*\"]\n"));
        Processes.Result refused = Processes.virsh(uri(goodClient), "version");
        assertNotEquals(0, refused.exitCode(), refused.toString());
        assertTrue(refused.stderr().contains("server verification (of our certificate or IP address) failed"),
            refused.stderr());
        tls.configure(ConfFile.parse("reloaded", "tls_allowed_dn_list = [\"C=GB,O=jvirtd,CN=client?\"]\n"));
        Processes.Result allowed = Processes.virsh(uri(goodClient), "hostname");
        assertEquals(0, allowed.exitCode(), allowed.toString());
    }

    @Test
    void connectedTlsClientIsListedWithItsDistinguishedNameAndCountsAsSecure() throws Exception {
        tls.configure(ConfFile.empty("none"));
        try (HeldClient client = HeldClient.open(uri(goodClient))) {
            assertEquals("1", client.firstLine(), "isSecure()");
            List<ClientInfo> clients = server.clients();
            assertEquals(1, clients.size(), clients.toString());
            assertEquals(CLIENT_DN, clients.get(0).x509Name());
            assertEquals(Transport.TLS, clients.get(0).transport());
            assertTrue(clients.get(0).address().startsWith("127.0.0.1;"), clients.get(0).address());
        }
    }

    @Test
    void revokedCertificateIsRefusedInTheHandshakeWhileOthersOfTheCaConnect() throws Exception {
        tls.configure(ConfFile.empty("none"));
        Processes.Result refused = Processes.virsh(uri(revokedClient), "version");
        assertNotEquals(0, refused.exitCode(), refused.toString());
        // the handshake ends in a certificate_revoked alert; GnuTLS usually reports it when virsh waits for
        // libvirtd's confirmation byte, but when the close comes first virsh can end without a word (seen once
        // under load in CI): what counts is that it got no connection, while the good client below does
        assertFalse(refused.stdout().contains("Running hypervisor"), refused.stdout());
        Processes.Result allowed = Processes.virsh(uri(goodClient), "hostname");
        assertEquals(0, allowed.exitCode(), allowed.toString());
    }

    @Test
    void reloadedFilesBringANewRevocationList() throws Exception {
        tls.configure(ConfFile.empty("none"));
        Processes.Result before = Processes.virsh(uri(laterRevokedClient), "hostname");
        assertEquals(0, before.exitCode(), before.toString());
        pki.revocationList(ca, crl, revokedClient, laterRevokedClient);
        tls.reloadFiles();
        Processes.Result after = Processes.virsh(uri(laterRevokedClient), "hostname");
        assertNotEquals(0, after.exitCode(), after.toString());
        Processes.Result good = Processes.virsh(uri(goodClient), "hostname");
        assertEquals(0, good.exitCode(), good.toString());
    }

    @Test
    void malformedRevocationListStopsTheListenerNamingTheFile() throws Exception {
        Path malformed = dir.resolve("root/etc/pki/CA/malformed-crl.pem");
        Files.writeString(malformed, "-----BEGIN X509 CRL-----\nbm90IGEgQ1JM\n-----END X509 CRL-----\n");
        ConfFile conf = ConfFile.parse("jvirtd.conf", "listen_addr = \"127.0.0.1\"\ntls_port = \"" + port
            + "\"\ncrl_file = \"/etc/pki/CA/malformed-crl.pem\"\n");
        DaemonPaths paths = DaemonPaths.resolve(dir.resolve("root").toString(), true, Map.of(), "/");
        IOException failure = assertThrows(IOException.class,
            () -> ListenerConfig.listeners(conf, paths, true, "/nonexistent"));
        assertTrue(failure.getMessage().contains("CA revocation list '" + malformed + "'"), failure.getMessage());
    }

    @Test
    void missingRevocationListIsSkippedAsLibvirtDoes() throws Exception {
        ConfFile conf = ConfFile.parse("jvirtd.conf", "crl_file = \"/etc/pki/CA/no-such-crl.pem\"\n");
        DaemonPaths paths = DaemonPaths.resolve(dir.resolve("root").toString(), true, Map.of(), "/");
        TlsContext context = TlsContext.load(TlsFiles.resolve(conf, paths, "/nonexistent"), conf);
        assertEquals(dir.resolve("root/etc/pki/CA/no-such-crl.pem"), context.files().crl());
    }
}
