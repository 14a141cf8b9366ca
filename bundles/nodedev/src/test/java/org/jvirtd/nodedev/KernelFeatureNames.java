package org.jvirtd.nodedev;

import java.nio.charset.StandardCharsets;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * The kernel's names of an interface's netdev feature bits (ethtool's string set ETH_SS_FEATURES, the names
 * {@code ethtool -k} prints), read with ETHTOOL_GSSET_INFO and ETHTOOL_GSTRINGS: which feature a bit number is
 * on the running kernel.
 */
final class KernelFeatureNames {
    private static final long SIOCETHTOOL = 0x8946;
    private static final int ETHTOOL_GSTRINGS = 0x1b;
    private static final int ETHTOOL_GSSET_INFO = 0x37;
    private static final int ETH_SS_FEATURES = 4;
    private static final int ETH_GSTRING_LEN = 32;

    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int socket(int domain, int type, int protocol);

        int ioctl(int fd, long request, Memory argument);

        int close(int fd);
    }

    private KernelFeatureNames() {
    }

    /** The name of feature bit {@code bit} of the interface, or null when the kernel does not say. */
    static String nameOfBit(String iface, int bit) {
        int fd = LibC.INSTANCE.socket(2, 2, 0);
        if (fd < 0) {
            return null;
        }
        try (Memory request = new Memory(40); Memory info = new Memory(24)) {
            request.clear();
            byte[] name = iface.getBytes(StandardCharsets.US_ASCII);
            request.write(0, name, 0, name.length);
            info.clear();
            info.setInt(0, ETHTOOL_GSSET_INFO);
            info.setLong(8, 1L << ETH_SS_FEATURES);
            request.setPointer(16, info);
            if (LibC.INSTANCE.ioctl(fd, SIOCETHTOOL, request) < 0 || info.getLong(8) == 0) {
                return null;
            }
            int count = info.getInt(16);
            if (bit >= count) {
                return null;
            }
            try (Memory strings = new Memory(12 + (long) count * ETH_GSTRING_LEN)) {
                strings.clear();
                strings.setInt(0, ETHTOOL_GSTRINGS);
                strings.setInt(4, ETH_SS_FEATURES);
                strings.setInt(8, count);
                request.setPointer(16, strings);
                if (LibC.INSTANCE.ioctl(fd, SIOCETHTOOL, request) < 0) {
                    return null;
                }
                return strings.getString(12 + (long) bit * ETH_GSTRING_LEN, "US-ASCII");
            }
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }
}
