package org.jvirtd.core.internal;

import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;

/**
 * virDomainSendKey's key codes turned into QEMU's key numbers (qnum: the XT set-1 scan code, with 0x80 added
 * for a key that sends the 0xe0 prefix). libvirt's codesets are numbered linux 0, xt 1, atset1 2, atset2 3,
 * atset3 4, os_x 5, xt_kbd 6, usb 7, win32 8, qnum 9; the linux, xt, atset1, xt_kbd and qnum sets are
 * translated here, a code that has no qnum counterpart is refused as libvirt refuses it.
 */
final class Keycodes {
    static final int LINUX = 0;
    static final int XT = 1;
    static final int ATSET1 = 2;
    static final int XT_KBD = 6;
    static final int QNUM = 9;

    private static final List<String> NAMES = List.of("linux", "xt", "atset1", "atset2", "atset3", "os_x",
        "xt_kbd", "usb", "win32", "qnum");

    /** Linux input codes above the range that equals set 1 (KEY_ESC 1 .. KEY_KPDOT 83), as code, qnum pairs. */
    private static final int[][] LINUX_EXTENDED = {
        {86, 0x56}, {87, 0x57}, {88, 0x58}, {96, 0x9c}, {97, 0x9d}, {98, 0xb5}, {99, 0x54}, {100, 0xb8},
        {102, 0xc7}, {103, 0xc8}, {104, 0xc9}, {105, 0xcb}, {106, 0xcd}, {107, 0xcf}, {108, 0xd0}, {109, 0xd1},
        {110, 0xd2}, {111, 0xd3}, {113, 0xa0}, {114, 0xae}, {115, 0xb0}, {116, 0xde}, {117, 0x59}, {119, 0xc6},
        {125, 0xdb}, {126, 0xdc}, {127, 0xdd}, {142, 0xdf}, {143, 0xe3},
    };

    private Keycodes() {
    }

    /** The qnum of each code; refuses an unknown codeset or a code without a qnum. */
    static int[] toQnum(ErrorDomain from, int codeset, int[] codes) {
        if (codeset < 0 || codeset >= NAMES.size()) {
            throw VirtErrors.invalidArg(from, "invalid codeset " + codeset);
        }
        int[] qnum = new int[codes.length];
        for (int i = 0; i < codes.length; i++) {
            qnum[i] = translate(codeset, codes[i]);
            if (qnum[i] < 0) {
                throw VirtErrors.internal(from, "cannot translate keycode " + Integer.toUnsignedString(codes[i])
                    + " of " + NAMES.get(codeset) + " codeset to qnum keycode");
            }
        }
        return qnum;
    }

    private static int translate(int codeset, int code) {
        return switch (codeset) {
            case LINUX -> linux(code);
            case XT -> code >= 1 && code <= 0x58 ? code : -1;
            case ATSET1, XT_KBD -> setOne(code);
            case QNUM -> code >= 1 && code <= 0x1ff ? code : -1;
            default -> -1;
        };
    }

    private static int linux(int code) {
        if (code >= 1 && code <= 83) {
            return code;
        }
        for (int[] pair : LINUX_EXTENDED) {
            if (pair[0] == code) {
                return pair[1];
            }
        }
        return -1;
    }

    /** A set-1 scan code, 0xe0-prefixed ones written as 0xe0NN. */
    private static int setOne(int code) {
        if (code >= 1 && code <= 0x7f) {
            return code;
        }
        if ((code & 0xff00) == 0xe000 && (code & 0xff) >= 1 && (code & 0xff) <= 0x7f) {
            return 0x80 | (code & 0x7f);
        }
        return -1;
    }
}
