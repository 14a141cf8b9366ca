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
 */
public record AuthSettings(UsernameAcl saslUsers, PolkitAuthority polkit, String saslConfigDir) {
    /** libvirtd's SASL application and service name. */
    public static final String SASL_NAME = "libvirt";

    public static AuthSettings from(ConfFile conf) {
        return new AuthSettings(UsernameAcl.of(conf.get("sasl_allowed_username_list").isPresent()
            ? conf.strings("sasl_allowed_username_list", null) : null), PolkitAuthority.system(), null);
    }

    /** Nothing configured: every SASL user allowed, pkcheck from PATH. */
    public static AuthSettings defaults() {
        return new AuthSettings(UsernameAcl.of(null), PolkitAuthority.system(), null);
    }

    /** The process's SASL server library, started on first use (the first start's directory holds). */
    public SaslService sasl() throws SaslException {
        return SaslService.start(SASL_NAME, saslConfigDir);
    }
}
