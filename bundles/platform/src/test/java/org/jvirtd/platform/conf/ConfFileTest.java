package org.jvirtd.platform.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;

class ConfFileTest {
    @Test
    void readsStringsNumbersListsAndComments() {
        ConfFile conf = ConfFile.parse("t.conf", """
            # a comment
            listen_addr = "192.0.2.1"   # trailing comment
            tcp_port = '16509'
            max_workers = 20
            log_level=-1
            tls_allowed_dn_list = [ "C=GB,O=x",
                                    # inside a list
                                    "C=FR" , ]
            unix_sock_group = "libvirt"; keepalive_count = 5
            """);
        assertEquals("192.0.2.1", conf.string("listen_addr", null));
        assertEquals("16509", conf.string("tcp_port", null));
        assertEquals(20, conf.number("max_workers", 0));
        assertEquals(-1, conf.number("log_level", 0));
        assertEquals(List.of("C=GB,O=x", "C=FR"), conf.strings("tls_allowed_dn_list", List.of()));
        assertEquals("libvirt", conf.string("unix_sock_group", null));
        assertEquals(5, conf.number("keepalive_count", 0));
        assertEquals(7, conf.values().size());
    }

    @Test
    void missingKeysGiveTheFallback() {
        ConfFile conf = ConfFile.parse("t.conf", "");
        assertEquals(16509, conf.number("tcp_port", 16509));
        assertFalse(conf.bool("listen_tcp", false));
        assertTrue(conf.get("x").isEmpty());
    }

    @Test
    void syntaxErrorNamesFileAndLine() {
        VirtException e = assertThrows(VirtException.class,
            () -> ConfFile.parse("/etc/jvirtd/jvirtd.conf", "a = 1\n\nb = \"unterminated\n"));
        assertEquals(ErrorCode.CONF_SYNTAX, e.code());
        assertEquals("configuration file syntax error: /etc/jvirtd/jvirtd.conf:3: unterminated string", e.getMessage());
    }

    @Test
    void missingAssignmentIsASyntaxError() {
        VirtException e = assertThrows(VirtException.class, () -> ConfFile.parse("x.conf", "max_workers 20\n"));
        assertEquals("configuration file syntax error: x.conf:1: expecting an assignment", e.getMessage());
    }

    @Test
    void valueOfTheWrongTypeIsReportedWithItsLine() {
        ConfFile conf = ConfFile.parse("x.conf", "\nmax_workers = \"many\"\n");
        VirtException e = assertThrows(VirtException.class, () -> conf.number("max_workers", 1));
        assertEquals("configuration file syntax error: x.conf:2: max_workers must be an integer", e.getMessage());
    }

    @Test
    void booleanAcceptsOnlyZeroAndOne() {
        ConfFile conf = ConfFile.parse("x.conf", "listen_tcp = 1\nlisten_tls = 2\n");
        assertTrue(conf.bool("listen_tcp", false));
        assertThrows(VirtException.class, () -> conf.bool("listen_tls", false));
    }
}
