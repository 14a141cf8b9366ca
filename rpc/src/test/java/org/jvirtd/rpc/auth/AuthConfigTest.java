package org.jvirtd.rpc.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.jvirtd.platform.conf.ConfFile;

/** The authentication settings of libvirtd.conf, and what of them jvirtd refuses rather than ignores. */
class AuthConfigTest {
    @Test
    void methodsByNameAndLibvirtDefaults() {
        ConfFile conf = ConfFile.parse("t", "auth_unix_rw = \"polkit\"\nauth_unix_ro = \"sasl\"\n");
        assertEquals(AuthMethod.POLKIT, AuthMethod.of(conf, "auth_unix_rw", "none"));
        assertEquals(AuthMethod.SASL, AuthMethod.of(conf, "auth_unix_ro", "none"));
        assertEquals(AuthMethod.SASL, AuthMethod.of(conf, "auth_tcp", "sasl"));
        assertEquals(2, AuthMethod.POLKIT.number());
        IllegalStateException unknown = assertThrows(IllegalStateException.class,
            () -> AuthMethod.of(ConfFile.parse("t", "auth_tls = \"kerberos\"\n"), "auth_tls", "none"));
        assertTrue(unknown.getMessage().contains("unknown authentication type 'kerberos'"), unknown.getMessage());
    }

    @Test
    void usernameListMatchesShellPatterns() {
        UsernameAcl acl = UsernameAcl.of(List.of("fred@EXAMPLE.COM", "b?b", "admin-[0-9]*", "[!x]y"));
        assertTrue(acl.allows("fred@EXAMPLE.COM"));
        assertFalse(acl.allows("fred@EXAMPLE.ORG"));
        assertTrue(acl.allows("bob"));
        assertFalse(acl.allows("boob"));
        assertTrue(acl.allows("admin-7-west"));
        assertFalse(acl.allows("admin-x"));
        assertTrue(acl.allows("ay"));
        assertFalse(acl.allows("xy"));
        assertTrue(UsernameAcl.of(null).allows("anyone"), "no list: every authenticated user");
        assertFalse(UsernameAcl.of(List.of()).allows("anyone"), "an empty list: nobody");
    }

    @Test
    void settingsTakeTheListAndMinimumSsf() {
        AuthSettings settings = AuthSettings.from(ConfFile.parse("t",
            "sasl_allowed_username_list = [\"alice\"]\ntcp_min_ssf = 112\naccess_drivers = [ \"nop\" ]\n"));
        assertEquals(112, settings.tcpMinSsf());
        assertTrue(settings.saslUsers().allows("alice"));
        assertFalse(settings.saslUsers().allows("bob"));
        assertEquals(56, AuthSettings.from(ConfFile.parse("t", "")).tcpMinSsf());
    }

    @Test
    void weakMinimumSsfIsRefusedNotIgnored() {
        IllegalStateException weak = assertThrows(IllegalStateException.class,
            () -> AuthSettings.from(ConfFile.parse("t", "tcp_min_ssf = 40\n")));
        assertEquals("minimum SSF levels lower than 56 are not supported", weak.getMessage());
    }
}
