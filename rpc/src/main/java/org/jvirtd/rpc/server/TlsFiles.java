package org.jvirtd.rpc.server;

import java.nio.file.Path;

import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.platform.conf.ConfFile;

/**
 * Where the daemon's x509 files are: libvirt's default paths (system: /etc/pki/CA/cacert.pem,
 * /etc/pki/CA/cacrl.pem, /etc/pki/libvirt/servercert.pem, /etc/pki/libvirt/private/serverkey.pem; session:
 * the same names under $HOME/.pki/libvirt), or ca_file, crl_file, cert_file and key_file. A system daemon
 * run with --root finds every one of them under that root. The revocation list is optional: as in libvirt,
 * a CRL file that does not exist is skipped.
 */
public record TlsFiles(Path ca, Path cert, Path key, Path crl) {

    public static TlsFiles resolve(ConfFile conf, DaemonPaths paths, String home) {
        if (!paths.privileged()) {
            Path pki = Path.of(home, ".pki/libvirt");
            return new TlsFiles(
                Path.of(conf.string("ca_file", pki.resolve("cacert.pem").toString())),
                Path.of(conf.string("cert_file", pki.resolve("servercert.pem").toString())),
                Path.of(conf.string("key_file", pki.resolve("serverkey.pem").toString())),
                Path.of(conf.string("crl_file", pki.resolve("cacrl.pem").toString())));
        }
        // The system layout is <root>/etc/jvirtd; without --root that root is "/".
        Path root = paths.configDir().getParent().getParent();
        return new TlsFiles(
            underRoot(root, conf.string("ca_file", "/etc/pki/CA/cacert.pem")),
            underRoot(root, conf.string("cert_file", "/etc/pki/libvirt/servercert.pem")),
            underRoot(root, conf.string("key_file", "/etc/pki/libvirt/private/serverkey.pem")),
            underRoot(root, conf.string("crl_file", "/etc/pki/CA/cacrl.pem")));
    }

    static Path underRoot(Path root, String path) {
        return root.resolve(path.replaceFirst("^/+", ""));
    }
}
