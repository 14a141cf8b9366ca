package org.jvirtd.rpc.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of libvirt's x509 setup: certificates, revocation lists, and unencrypted private keys
 * in PKCS#8 ("PRIVATE KEY", what openssl writes) or PKCS#1 ("RSA PRIVATE KEY", what certtool writes).
 */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
        "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    /** DER of AlgorithmIdentifier { rsaEncryption, NULL }. */
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final String[] ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448"};

    private PemFiles() {
    }

    static List<X509Certificate> certificates(Path file, String what) throws IOException {
        byte[] content = read(file, what);
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(content))) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IOException("no certificate in " + what + " '" + file + "'");
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new IOException("unable to parse " + what + " '" + file + "': " + e.getMessage(), e);
        }
    }

    /**
     * The CRLs in {@code file}; none when the file does not exist, which libvirt treats as "no revocation
     * list" rather than an error.
     */
    static List<X509CRL> revocationLists(Path file) throws IOException {
        if (Files.notExists(file)) {
            return List.of();
        }
        String what = "CA revocation list";
        byte[] content = read(file, what);
        try {
            List<X509CRL> lists = new ArrayList<>();
            for (var list : CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(content))) {
                lists.add((X509CRL) list);
            }
            if (lists.isEmpty()) {
                throw new IOException("no certificate revocation list in " + what + " '" + file + "'");
            }
            return lists;
        } catch (GeneralSecurityException e) {
            throw new IOException("unable to parse " + what + " '" + file + "': " + e.getMessage(), e);
        }
    }

    static PrivateKey privateKey(Path file) throws IOException {
        String text = new String(read(file, "private key"), java.nio.charset.StandardCharsets.US_ASCII);
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            switch (block.group(1)) {
                case "PRIVATE KEY" -> {
                    return pkcs8(der, file);
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(rsaAsPkcs8(der), file);
                }
                default -> {
                    // certificates or parameters may share the file; keep looking
                }
            }
        }
        throw new IOException("no unencrypted PKCS#8 or PKCS#1 RSA private key in '" + file
            + "' (convert with: openssl pkcs8 -topk8 -nocrypt)");
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm
            }
        }
        throw new IOException("unsupported private key in '" + file + "'");
    }

    /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING { the PKCS#1 key } }. */
    static byte[] rsaAsPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.writeBytes(tagged(0x04, pkcs1));
        return tagged(0x30, body.toByteArray());
    }

    private static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] read(Path file, String what) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException("cannot read " + what + " '" + file + "': " + reason(e), e);
        }
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "No such file or directory"
            : e instanceof java.nio.file.AccessDeniedException ? "Permission denied" : String.valueOf(e.getMessage());
    }
}
