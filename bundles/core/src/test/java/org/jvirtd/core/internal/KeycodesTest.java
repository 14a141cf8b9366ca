package org.jvirtd.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.junit.jupiter.api.Test;

/** Key codes of each supported codeset turned into QEMU's key numbers, and the codes without one refused. */
class KeycodesTest {

    @Test
    void linuxCodesBecomeSetOneScanCodesWithTheExtendedBitForE0Keys() {
        // KEY_A, KEY_LEFTCTRL, KEY_F12, KEY_RIGHTCTRL, KEY_UP, KEY_DELETE, KEY_LEFTMETA
        assertArrayEquals(new int[] {0x1e, 0x1d, 0x58, 0x9d, 0xc8, 0xd3, 0xdb},
            Keycodes.toQnum(ErrorDomain.QEMU, Keycodes.LINUX, new int[] {30, 29, 88, 97, 103, 111, 125}));
    }

    @Test
    void atSet1WritesTheE0PrefixInTheCode() {
        assertArrayEquals(new int[] {0x1e, 0x9c, 0xc8},
            Keycodes.toQnum(ErrorDomain.QEMU, Keycodes.ATSET1, new int[] {0x1e, 0xe01c, 0xe048}));
    }

    @Test
    void aCodeWithoutQnumIsRefusedAsLibvirtRefusesIt() {
        VirtException e = assertThrows(VirtException.class,
            () -> Keycodes.toQnum(ErrorDomain.QEMU, Keycodes.XT, new int[] {200}));
        assertEquals("internal error: cannot translate keycode 200 of xt codeset to qnum keycode", e.getMessage());
        VirtException usb = assertThrows(VirtException.class,
            () -> Keycodes.toQnum(ErrorDomain.QEMU, 7, new int[] {4}));
        assertEquals("internal error: cannot translate keycode 4 of usb codeset to qnum keycode", usb.getMessage());
    }
}
