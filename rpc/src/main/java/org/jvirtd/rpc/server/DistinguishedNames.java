package org.jvirtd.rpc.server;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * Certificate subject names as libvirt writes them in tls_allowed_dn_list ("C=GB,O=Example,CN=client",
 * in certificate order, unlike RFC 4514's reversed order), and the list's shell-style wildcards.
 */
final class DistinguishedNames {
    private DistinguishedNames() {
    }

    static String of(X509Certificate certificate) {
        return of(certificate.getSubjectX500Principal());
    }

    static String of(X500Principal principal) {
        try {
            // LdapName lists the RDNs from the last one written (the first in the certificate).
            List<Rdn> rdns = new LdapName(principal.getName(X500Principal.RFC2253)).getRdns();
            return rdns.stream().map(Rdn::toString).collect(Collectors.joining(","));
        } catch (InvalidNameException e) {
            throw new IllegalArgumentException("unparsable certificate subject " + principal, e);
        }
    }

    /** A tls_allowed_dn_list entry: {@code *} any run of characters, {@code ?} one, [...] a set. */
    static Pattern wildcard(String entry) {
        StringBuilder regex = new StringBuilder();
        boolean inSet = false;
        for (char c : entry.toCharArray()) {
            if (inSet) {
                regex.append(c == '\\' ? "\\\\" : String.valueOf(c));
                inSet = c != ']';
            } else if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (c == '[') {
                regex.append('[');
                inSet = true;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(inSet ? Pattern.quote(entry) : regex.toString(), Pattern.DOTALL);
    }
}
