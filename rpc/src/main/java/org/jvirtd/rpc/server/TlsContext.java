package org.jvirtd.rpc.server;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Pattern;

import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.jvirtd.platform.conf.ConfFile;

/**
 * The TLS listener's identity and client policy: the server certificate and key, the CA that client
 * certificates must chain to, the CA's revocation list, and tls_allowed_dn_list. The DN list can be replaced (SIGHUP) and the
 * files reread (virt-admin server-update-tls) while clients stay connected.
 */
public final class TlsContext {
    private static final int NO_TICKETS_SESSION_TIMEOUT = 7 * 24 * 3600 + 1;
    private static final char[] IN_MEMORY = "jvirtd".toCharArray();

    private final TlsFiles files;
    private final boolean verifyClients;
    private volatile SSLContext ssl;
    /** null: every certificate the CA signed is allowed (the list is not set). */
    private volatile List<Pattern> allowed;

    private TlsContext(TlsFiles files, boolean verifyClients) {
        this.files = files;
        this.verifyClients = verifyClients;
    }

    /**
     * Reads the x509 files.
     *
     * @throws IOException naming the file that is missing or unreadable
     */
    public static TlsContext load(TlsFiles files, ConfFile conf) throws IOException {
        TlsContext context = new TlsContext(files, !conf.bool("tls_no_verify_certificate", false));
        context.reloadFiles();
        context.configure(conf);
        return context;
    }

    public TlsFiles files() {
        return files;
    }

    /** Takes tls_allowed_dn_list from (reloaded) settings; connected clients are not affected. */
    public void configure(ConfFile conf) {
        List<String> entries = conf.strings("tls_allowed_dn_list", null);
        allowed = entries == null ? null : entries.stream().map(DistinguishedNames::wildcard).toList();
    }

    /** Rereads the CA, its CRL, certificate and key; new clients get them, connected ones keep their session. */
    public void reloadFiles() throws IOException {
        List<X509Certificate> authorities = PemFiles.certificates(files.ca(), "CA certificate");
        List<X509CRL> revoked = PemFiles.revocationLists(files.crl());
        List<X509Certificate> chain = PemFiles.certificates(files.cert(), "server certificate");
        PrivateKey key = PemFiles.privateKey(files.key());
        try {
            KeyStore identity = KeyStore.getInstance("PKCS12");
            identity.load(null, null);
            identity.setKeyEntry("server", key, IN_MEMORY, chain.toArray(new Certificate[0]));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(identity, IN_MEMORY);
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                trusted.setCertificateEntry("ca" + i, authorities.get(i));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trustManagers(trusted, revoked), null);
            // libvirt's client reads the confirmation byte right after its handshake and gives up on EAGAIN;
            // a TLS 1.3 NewSessionTicket arriving first causes exactly that. The JDK sends no ticket
            // when the session lifetime exceeds a ticket's 7-day maximum.
            context.getServerSessionContext().setSessionTimeout(NO_TICKETS_SESSION_TIMEOUT);
            ssl = context;
        } catch (GeneralSecurityException e) {
            throw new IOException("unusable x509 files " + files + ": " + e.getMessage(), e);
        }
    }

    /**
     * PKIX against the CA; with revocation lists, a client certificate a list names is refused in the
     * handshake. Like GnuTLS in libvirtd, a certificate whose issuer has no list here is not refused for
     * that, and nothing is fetched from the network (no OCSP, no CRL distribution points).
     */
    private static TrustManager[] trustManagers(KeyStore trusted, List<X509CRL> revoked)
        throws GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        if (revoked.isEmpty()) {
            trust.init(trusted);
            return trust.getTrustManagers();
        }
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(trusted, new X509CertSelector());
        parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(revoked)));
        PKIXRevocationChecker checker = (PKIXRevocationChecker) CertPathBuilder.getInstance("PKIX")
            .getRevocationChecker();
        checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
            PKIXRevocationChecker.Option.NO_FALLBACK, PKIXRevocationChecker.Option.SOFT_FAIL));
        parameters.addCertPathChecker(checker);
        parameters.setRevocationEnabled(true);
        trust.init(new CertPathTrustManagerParameters(parameters));
        return trust.getTrustManagers();
    }

    SSLEngine newEngine() {
        SSLEngine engine = ssl.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setNeedClientAuth(verifyClients);
        return engine;
    }

    boolean verifiesClients() {
        return verifyClients;
    }

    boolean allows(String distinguishedName) {
        List<Pattern> patterns = allowed;
        return patterns == null || patterns.stream().anyMatch(p -> p.matcher(distinguishedName).matches());
    }
}
