package org.jvirtd.nodedev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jvirtd.model.nodedev.PciExpressLink;

/**
 * Finds whether a PCI function is PCI Express and its link from its config space (sysfs {@code config}): the
 * PCI Express capability in the capability list, or, as libvirt assumes when the list cannot show it, a config
 * space larger than 256 bytes. Root complex integrated endpoints and event collectors have no link.
 */
final class PciExpressProbe {
    private static final int CONFIG_SPACE_SIZE = 256;
    private static final int STATUS = 0x06;
    private static final int STATUS_CAP_LIST = 0x10;
    private static final int CAPABILITY_LIST = 0x34;
    private static final int CAP_ID_EXP = 0x10;
    private static final int EXP_FLAGS = 0x02;
    private static final int EXP_LNKCAP = 0x0c;
    private static final int EXP_LNKSTA = 0x12;
    private static final int TYPE_ROOT_INT_EP = 0x9;
    private static final int TYPE_ROOT_EC = 0xa;
    private static final String[] SPEEDS = {null, "2.5", "5", "8", "16", "32", "64"};

    /** PCI Express facts: whether it is, and its link capability and status (null when it has no link). */
    record Facts(boolean pcie, PciExpressLink cap, PciExpressLink status) {
        static final Facts PLAIN_PCI = new Facts(false, null, null);
    }

    private PciExpressProbe() {
    }

    static Facts probe(Path function) {
        Path configFile = function.resolve("config");
        byte[] config;
        long size;
        try {
            config = Files.readAllBytes(configFile);
            size = Math.max(config.length, Files.size(configFile));
        } catch (IOException e) {
            return Facts.PLAIN_PCI;
        }
        int position = expCapability(config);
        if (position == 0) {
            return size > CONFIG_SPACE_SIZE ? new Facts(true, null, null) : Facts.PLAIN_PCI;
        }
        int type = (read16(config, position + EXP_FLAGS) & 0xf0) >> 4;
        if (type == TYPE_ROOT_INT_EP || type == TYPE_ROOT_EC || config.length < position + EXP_LNKSTA + 2) {
            return new Facts(true, null, null);
        }
        long lnkcap = read32(config, position + EXP_LNKCAP);
        int lnksta = read16(config, position + EXP_LNKSTA);
        PciExpressLink cap = new PciExpressLink((int) (lnkcap >>> 24), speed((int) (lnkcap & 0xf)),
            (int) ((lnkcap & 0x3f0) >> 4));
        PciExpressLink status = new PciExpressLink(-1, speed(lnksta & 0xf), (lnksta & 0x3f0) >> 4);
        return new Facts(true, cap, status);
    }

    private static String speed(int code) {
        return code < SPEEDS.length ? SPEEDS[code] : null;
    }

    /** The PCI Express capability's offset in the capability list, 0 when there is none. */
    private static int expCapability(byte[] config) {
        if (config.length < CONFIG_SPACE_SIZE / 4 || (read16(config, STATUS) & STATUS_CAP_LIST) == 0) {
            return 0;
        }
        int position = config[CAPABILITY_LIST] & 0xfc;
        for (int hops = 0; position >= 0x40 && position + 1 < config.length && hops < 48; hops++) {
            if ((config[position] & 0xff) == CAP_ID_EXP) {
                return position;
            }
            position = config[position + 1] & 0xfc;
        }
        return 0;
    }

    private static int read16(byte[] config, int offset) {
        return (config[offset] & 0xff) | (config[offset + 1] & 0xff) << 8;
    }

    private static long read32(byte[] config, int offset) {
        return (read16(config, offset) | (long) read16(config, offset + 2) << 16) & 0xffffffffL;
    }
}
