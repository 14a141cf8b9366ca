package org.jvirtd.rpc.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away x509 setup made with the real openssl: a CA, a server certificate for 127.0.0.1 (key
 * in PKCS#1, as certtool writes it), client certificates and the CA's revocation lists, laid out the way libvirt's clients read
 * them from a pkipath directory (cacert.pem, clientcert.pem, clientkey.pem).
 */
public final class TestPki {
    private final Path dir;

    public TestPki(Path dir) {
        this.dir = dir;
    }

    /** A self-signed CA: {@code name}/ca.pem and {@code name}/ca.key. */
    public Path authority(String name) throws IOException, InterruptedException {
        Path ca = Files.createDirectories(dir.resolve(name));
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
            "-keyout", ca.resolve("ca.key").toString(), "-out", ca.resolve("ca.pem").toString(),
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return ca;
    }

    /** Server key (PKCS#1) and certificate for 127.0.0.1, signed by {@code ca}. */
    public void server(Path ca, Path keyFile, Path certFile) throws IOException, InterruptedException {
        Files.createDirectories(keyFile.getParent());
        Files.createDirectories(certFile.getParent());
        openssl("genrsa", "-traditional", "-out", keyFile.toString(), "2048");
        sign(ca, keyFile, certFile, "/C=GB/O=jvirtd/CN=127.0.0.1",
            "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n");
    }

    /** A pkipath directory for a client named by {@code subject}, trusting {@code serverCa}, signed by {@code ca}. */
    public Path client(String name, String subject, Path ca, Path serverCa) throws IOException, InterruptedException {
        Path pki = Files.createDirectories(dir.resolve("client-" + name));
        Files.copy(serverCa.resolve("ca.pem"), pki.resolve("cacert.pem"));
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
            "-out", pki.resolve("clientkey.pem").toString());
        sign(ca, pki.resolve("clientkey.pem"), pki.resolve("clientcert.pem"), subject,
            "extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n");
        return pki;
    }

    /** Writes {@code ca}'s revocation list, revoking the client certificates of the given pkipath directories. */
    public void revocationList(Path ca, Path crlFile, Path... revokedClients) throws IOException, InterruptedException {
        Path database = Files.createTempDirectory(dir, "crl");
        Path config = database.resolve("ca.cnf");
        Files.createFile(database.resolve("index.txt"));
        Files.writeString(config, "[ca]\ndefault_ca = test\n[test]\ndatabase = " + database.resolve("index.txt")
            + "\ndefault_md = sha256\ndefault_crl_days = 2\n");
        List<String> authority = List.of("-config", config.toString(), "-cert", ca.resolve("ca.pem").toString(),
            "-keyfile", ca.resolve("ca.key").toString());
        for (Path client : revokedClients) {
            List<String> revoke = new ArrayList<>(List.of("ca", "-revoke", client.resolve("clientcert.pem").toString()));
            revoke.addAll(authority);
            openssl(revoke.toArray(new String[0]));
        }
        List<String> crl = new ArrayList<>(List.of("ca", "-gencrl", "-out", crlFile.toString()));
        crl.addAll(authority);
        openssl(crl.toArray(new String[0]));
    }

    private void sign(Path ca, Path key, Path cert, String subject, String extensions)
        throws IOException, InterruptedException {
        Path csr = dir.resolve(cert.getFileName() + ".csr");
        Path ext = dir.resolve(cert.getFileName() + ".ext");
        Files.writeString(ext, extensions);
        openssl("req", "-new", "-key", key.toString(), "-subj", subject, "-out", csr.toString());
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.resolve("ca.pem").toString(),
            "-CAkey", ca.resolve("ca.key").toString(), "-CAcreateserial", "-days", "2",
            "-extfile", ext.toString(), "-out", cert.toString());
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Processes.Result result = Processes.run(command, null, 60);
        if (result.exitCode() != 0) {
            throw new IOException("openssl failed: " + result);
        }
    }
}
