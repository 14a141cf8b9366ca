package org.jvirtd.rpc.wire;

/** Program numbers and size limits of libvirt's RPC protocol (virnetprotocol.x, remote_protocol.x). */
public final class Protocol {
    public static final int REMOTE_PROGRAM = 0x20008086;
    public static final int QEMU_PROGRAM = 0x20008087;
    public static final int LXC_PROGRAM = 0x00068000;
    public static final int KEEPALIVE_PROGRAM = 0x6b656570;
    public static final int ADMIN_PROGRAM = 0x06900690;
    /** Every program's only version. */
    public static final int VERSION = 1;

    public static final int KEEPALIVE_PING = 1;
    public static final int KEEPALIVE_PONG = 2;

    /** The length word that starts every packet. */
    public static final int LENGTH_WORD = 4;
    /** prog, vers, proc, type, serial, status. */
    public static final int HEADER_SIZE = 24;
    /** Most descriptors one message may carry (VIR_NET_MESSAGE_NUM_FDS_MAX). */
    public static final int FDS_MAX = 32;
    /** Largest packet without its length word (VIR_NET_MESSAGE_MAX). */
    public static final int MESSAGE_MAX = 32 * 1024 * 1024;
    /** Largest payload (VIR_NET_MESSAGE_PAYLOAD_MAX). */
    public static final int PAYLOAD_MAX = MESSAGE_MAX - HEADER_SIZE;
    /** Most data bytes in one stream packet (VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX). */
    public static final int STREAM_CHUNK_MAX = 262120;
    /** REMOTE_STRING_MAX. */
    public static final int STRING_MAX = 4 * 1024 * 1024;
    /** REMOTE_DOMAIN_LIST_MAX, also networks, pools and volumes. */
    public static final int LIST_MAX = 16384;
    public static final int AUTH_TYPE_LIST_MAX = 20;
    /** REMOTE_CPUMAP_MAX: one CPU map in a pinning call. */
    public static final int CPUMAP_MAX = 2048;
    /** REMOTE_DOMAIN_SEND_KEY_MAX. */
    public static final int SEND_KEY_MAX = 16;
    /** REMOTE_CONNECT_CPU_MODELS_MAX. */
    public static final int CPU_MODELS_MAX = 8192;
    public static final int NETWORK_DHCP_LEASES_MAX = 65536;
    /** REMOTE_NETWORK_PORT_LIST_MAX. */
    public static final int NETWORK_PORT_LIST_MAX = 16384;
    public static final int DOMAIN_MESSAGES_MAX = 2048;
    /** REMOTE_CPUMAPS_MAX and REMOTE_VCPUINFO_MAX. */
    public static final int CPUMAPS_MAX = 8388608;
    public static final int VCPUINFO_MAX = 16384;
    public static final int SECURITY_MODEL_MAX = 257;
    public static final int SECURITY_DOI_MAX = 257;
    public static final int SECURITY_LABEL_MAX = 4097;
    public static final int UUID_LENGTH = 16;

    private Protocol() {
    }
}
