package org.jvirtd.rpc.auth;

import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.platform.sasl.SaslException;
import org.jvirtd.platform.sasl.SaslService;

/**
 * What the daemon's authentication needs beyond each socket's method: the SASL username list and the
 * polkit authority. SASL starts under libvirt's application name, so the same /etc/sasl2/libvirt.conf
 * (or one in SASL_CONF_PATH) configures it.
 *
 * @param saslConfigDir the directory of libvirt.conf instead of the library's path, null for that path
 * @param tcpMinSsf tcp_min_ssf: the weakest security layer a SASL mechanism may bring on plain TCP
 */
public record AuthSettings(UsernameAcl saslUsers, PolkitAuthority polkit, String saslConfigDir, int tcpMinSsf) {
    /** libvirtd's SASL application and service name. */
    public static final String SASL_NAME = "libvirt";
    /** libvirt's default and least tcp_min_ssf: single DES, what Kerberos offers at least. */
    public static final int MIN_SSF = 56;

    public AuthSettings(UsernameAcl saslUsers, PolkitAuthority polkit, String saslConfigDir) {
        this(saslUsers, polkit, saslConfigDir, MIN_SSF);
    }

    /**
     * @throws IllegalStateException for a tcp_min_ssf below 56
     */
    public static AuthSettings from(ConfFile conf) {
        long minSsf = conf.number("tcp_min_ssf", MIN_SSF);
        if (minSsf < MIN_SSF) {
            throw new IllegalStateException("minimum SSF levels lower than " + MIN_SSF + " are not supported");
        }
        return new AuthSettings(UsernameAcl.of(conf.get("sasl_allowed_username_list").isPresent()
            ? conf.strings("sasl_allowed_username_list", null) : null), PolkitAuthority.system(), null,
            (int) Math.min(minSsf, Integer.MAX_VALUE));
    }

    /** Nothing configured: every SASL user allowed, polkitd on the system bus. */
    public static AuthSettings defaults() {
        return new AuthSettings(UsernameAcl.of(null), PolkitAuthority.system(), null);
    }

    /** The process's SASL server library, started on first use (the first start's directory holds). */
    public SaslService sasl() throws SaslException {
        return SaslService.start(SASL_NAME, saslConfigDir);
    }
}
