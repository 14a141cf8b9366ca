package org.jvirtd.rpc.protocol;

import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.network.NetworkPortRef;
import org.jvirtd.api.network.NetworkRef;
import org.jvirtd.api.secret.SecretRef;
import org.jvirtd.api.secret.SecretUsageType;
import org.jvirtd.api.storage.PoolRef;
import org.jvirtd.api.storage.VolumeRef;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/** The common XDR shapes of remote_protocol.x: strings and the references to domains, networks, pools, volumes and secrets. */
public final class Types {
    private Types() {
    }

    /** remote_nonnull_string. */
    public static String readString(XdrReader in) {
        return in.readString(Protocol.STRING_MAX);
    }

    /** remote_string: an optional remote_nonnull_string. */
    public static String readOptionalString(XdrReader in) {
        return in.readOptional(Types::readString);
    }

    public static void writeOptionalString(XdrWriter out, String value) {
        out.writeOptional(value, XdrWriter::writeString);
    }

    /** remote_nonnull_domain { name; uuid; id }. */
    public static DomainRef readDomain(XdrReader in) {
        String name = readString(in);
        return new DomainRef(name, in.readUuid(), in.readInt());
    }

    public static void writeDomain(XdrWriter out, DomainRef domain) {
        out.writeString(domain.name()).writeUuid(domain.uuid()).writeInt(domain.id());
    }

    /** remote_nonnull_network { name; uuid }. */
    public static NetworkRef readNetwork(XdrReader in) {
        String name = readString(in);
        return new NetworkRef(name, in.readUuid());
    }

    public static void writeNetwork(XdrWriter out, NetworkRef network) {
        out.writeString(network.name()).writeUuid(network.uuid());
    }

    /** remote_nonnull_network_port { remote_nonnull_network net; remote_uuid uuid; }. */
    public static NetworkPortRef readNetworkPort(XdrReader in) {
        NetworkRef network = readNetwork(in);
        return new NetworkPortRef(network, in.readUuid());
    }

    public static void writeNetworkPort(XdrWriter out, NetworkPortRef port) {
        writeNetwork(out, port.network());
        out.writeUuid(port.uuid());
    }

    /** remote_nonnull_storage_pool { name; uuid }. */
    public static PoolRef readPool(XdrReader in) {
        String name = readString(in);
        return new PoolRef(name, in.readUuid());
    }

    public static void writePool(XdrWriter out, PoolRef pool) {
        out.writeString(pool.name()).writeUuid(pool.uuid());
    }

    /** remote_nonnull_storage_vol { pool; name; key }. */
    public static VolumeRef readVolume(XdrReader in) {
        return new VolumeRef(readString(in), readString(in), readString(in));
    }

    public static void writeVolume(XdrWriter out, VolumeRef volume) {
        out.writeString(volume.pool()).writeString(volume.name()).writeString(volume.key());
    }

    /**
     * remote_nonnull_secret { uuid; int usageType; usageID }. A usage type this daemon does not know reads as
     * NONE: the server identifies secrets by UUID only, as libvirtd does.
     */
    public static SecretRef readSecret(XdrReader in) {
        java.util.UUID uuid = in.readUuid();
        SecretUsageType type = SecretUsageType.fromNumber(in.readInt());
        return new SecretRef(uuid, type == null ? SecretUsageType.NONE : type, readString(in));
    }

    public static void writeSecret(XdrWriter out, SecretRef secret) {
        out.writeUuid(secret.uuid()).writeInt(secret.usageType().number()).writeString(secret.usageId());
    }

    /** remote_domain: an optional remote_nonnull_domain. */
    public static DomainRef readOptionalDomain(XdrReader in) {
        return in.readOptional(Types::readDomain);
    }

    public static void writeInt(XdrWriter out, Integer value) {
        out.writeInt(value);
    }

    public static void writeBool(XdrWriter out, Boolean value) {
        out.writeInt(value ? 1 : 0);
    }

    public static void writeHyper(XdrWriter out, Long value) {
        out.writeHyper(value);
    }

    /**
     * A C string as libvirt sends security labels and models: an XDR array of chars (each in 4
     * bytes) including the terminating NUL.
     */
    public static void writeCharArray(XdrWriter out, String value) {
        byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length + 1);
        for (byte b : bytes) {
            out.writeInt(b);
        }
        out.writeInt(0);
    }

    /** A fixed {@code char name[length]}: every char in 4 bytes, NUL-padded, truncated to leave one NUL. */
    public static void writeFixedChars(XdrWriter out, String value, int length) {
        byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < length; i++) {
            out.writeInt(i < bytes.length && i < length - 1 ? bytes[i] : 0);
        }
    }
}
