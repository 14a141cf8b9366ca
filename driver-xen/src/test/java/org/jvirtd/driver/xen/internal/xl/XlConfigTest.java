package org.jvirtd.driver.xen.internal.xl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.junit.jupiter.api.Test;

/**
 * The xl.cfg syntax: reading comments, multi-line and nested lists, both quote styles and numbers; writing as
 * libvirt does; refusing what is not the syntax.
 */
class XlConfigTest {
    @Test
    void readsWhatXlTakesAndWritesItBackInLibvirtsForm() {
        XlConfig cfg = XlConfig.parse("# a guest\nname = 'g1' ; memory=512\nvif = [ \"mac=00:16:3e:00:00:01\",\n"
            + "  # a comment inside\n  'bridge=br0', ]\nvnuma = [ [ \"pnode=0\" ], [ \"pnode=1\" ] ]\nnote = \"it's\"\n");
        assertEquals("g1", cfg.string("name"));
        assertEquals(512, cfg.number("memory", 0));
        assertEquals(List.of("mac=00:16:3e:00:00:01", "bridge=br0"), cfg.strings("vif"));
        assertEquals("name = \"g1\"\nmemory = 512\nvif = [ \"mac=00:16:3e:00:00:01\", \"bridge=br0\" ]\n"
            + "vnuma = [ [ \"pnode=0\" ], [ \"pnode=1\" ] ]\nnote = \"it's\"\n", cfg.write());
        assertEquals("q = 'say \"hi\"'\n", new XlConfig().set("q", "say \"hi\"").write());
    }

    @Test
    void settingANameAgainKeepsItsPlace() {
        XlConfig cfg = new XlConfig().set("sdl", 0).set("vnc", 1).set("disk", List.of()).set("vnc", 0);
        assertEquals("sdl = 0\nvnc = 0\ndisk = [  ]\n", cfg.write());
    }

    @Test
    void syntaxErrorsAreConfSyntaxWithTheLine() {
        VirtException e = assertThrows(VirtException.class, () -> XlConfig.parse("name = \"g\"\nmemory 512\n"));
        assertEquals(ErrorCode.CONF_SYNTAX, e.code());
        assertEquals("configuration file syntax error: memory conf:2: expecting an assignment", e.getMessage());
        assertThrows(VirtException.class, () -> XlConfig.parse("vif = [ \"a\" \"b\" ]\n"));
        assertThrows(VirtException.class, () -> XlConfig.parse("name = \"unterminated\n"));
    }

    @Test
    void aNumberWhereAStringBelongsIsMalformed() {
        VirtException e = assertThrows(VirtException.class, () -> XlConfig.parse("name = 5\n").string("name"));
        assertEquals("internal error: config value name was malformed", e.getMessage());
    }
}
