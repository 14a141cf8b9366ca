package org.jvirtd.platform.net;

import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * A network interface's offload features as libvirt reports them in node device XML ({@code <feature
 * name='rx'/>}...), read with the ethtool ioctl's get commands in the caller's network namespace: checksum
 * offloads, scatter-gather, TSO, GSO, GRO, the LRO, VLAN offload, n-tuple and receive hashing flags, and
 * {@code txudptnl}, in libvirt's order. An interface the ioctl cannot see (another namespace, gone) has none.
 * Nothing is changed. (libvirt's {@code rdma} and {@code switchdev} need InfiniBand or devlink e-switch
 * hardware and are not read.)
 */
public final class OffloadFeatures {
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final long SIOCETHTOOL = 0x8946;
    private static final int IFNAMSIZ = 16;
    private static final int IFREQ_SIZE = 40;
    private static final int ETHTOOL_GFLAGS = 0x25;

    /** ethtool get commands whose value is on/off, with libvirt's feature names, in libvirt's order. */
    private static final int[] VALUE_COMMANDS = {0x14, 0x16, 0x18, 0x1e, 0x23, 0x2b};
    private static final String[] VALUE_NAMES = {"rx", "tx", "sg", "tso", "gso", "gro"};
    /** ETHTOOL_GFLAGS bits with libvirt's feature names, in libvirt's order. */
    private static final int[] FLAG_BITS = {1 << 15, 1 << 8, 1 << 7, 1 << 27, 1 << 28};
    private static final String[] FLAG_NAMES = {"lro", "rxvlan", "txvlan", "ntuple", "rxhash"};
    private static final int ETHTOOL_GFEATURES = 0x3a;
    /** Feature blocks libvirt asks ETHTOOL_GFEATURES for (struct ethtool_get_features_block: 4 u32). */
    private static final int GFEATURES_BLOCKS = 2;
    /**
     * The bit of the first block's active word libvirt 9.0 reports as {@code txudptnl}: the kernel's
     * NETIF_F_GSO_UDP_TUNNEL bit when libvirt fixed the number; kernels since added bits before it, so on
     * today's kernels it is whatever feature has bit 25 (tx-ipxip6-segmentation), and libvirtd says
     * txudptnl for it all the same.
     */
    static final int TXUDPTNL_BIT = 25;

    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int socket(int domain, int type, int protocol);

        int ioctl(int fd, long request, Memory argument);

        int close(int fd);
    }

    private OffloadFeatures() {
    }

    /** The features that are on, by libvirt's names; empty when the interface's features cannot be read. */
    public static List<String> of(String interfaceName) {
        List<String> out = new ArrayList<>();
        byte[] name = interfaceName.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (name.length >= IFNAMSIZ) {
            return out;
        }
        int fd;
        try {
            fd = LibC.INSTANCE.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return out;
        }
        if (fd < 0) {
            return out;
        }
        try (Memory request = new Memory(IFREQ_SIZE); Memory value = new Memory(8)) {
            request.clear();
            request.write(0, name, 0, name.length);
            request.setPointer(IFNAMSIZ, value);
            for (int i = 0; i < VALUE_COMMANDS.length; i++) {
                Integer data = get(fd, request, value, VALUE_COMMANDS[i]);
                if (data != null && data != 0) {
                    out.add(VALUE_NAMES[i]);
                }
            }
            Integer flags = get(fd, request, value, ETHTOOL_GFLAGS);
            if (flags != null) {
                for (int i = 0; i < FLAG_BITS.length; i++) {
                    if ((flags & FLAG_BITS[i]) != 0) {
                        out.add(FLAG_NAMES[i]);
                    }
                }
            }
            if (udpTunnelBit(fd, request)) {
                out.add("txudptnl");
            }
        } finally {
            LibC.INSTANCE.close(fd);
        }
        return out;
    }

    /** Whether ETHTOOL_GFEATURES has {@link #TXUDPTNL_BIT} active; the request's data pointer is restored. */
    private static boolean udpTunnelBit(int fd, Memory request) {
        try (Memory features = new Memory(8 + 16L * GFEATURES_BLOCKS)) {
            features.clear();
            features.setInt(0, ETHTOOL_GFEATURES);
            features.setInt(4, GFEATURES_BLOCKS);
            Pointer previous = request.getPointer(IFNAMSIZ);
            request.setPointer(IFNAMSIZ, features);
            try {
                return LibC.INSTANCE.ioctl(fd, SIOCETHTOOL, request) == 0
                    && (features.getInt(8 + 8) & (1 << TXUDPTNL_BIT)) != 0;
            } finally {
                request.setPointer(IFNAMSIZ, previous);
            }
        }
    }

    /** One ethtool get command (struct ethtool_value { u32 cmd; u32 data; }): its data, or null on failure. */
    private static Integer get(int fd, Memory request, Memory value, int command) {
        value.setInt(0, command);
        value.setInt(4, 0);
        return LibC.INSTANCE.ioctl(fd, SIOCETHTOOL, request) < 0 ? null : value.getInt(4);
    }
}
