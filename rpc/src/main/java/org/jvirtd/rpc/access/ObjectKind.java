package org.jvirtd.rpc.access;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.xdr.XdrReader;

/**
 * The kinds of object libvirt checks permissions on, each with its remote protocol reference and the attributes
 * libvirt's polkit driver passes for it (what rules read with {@code action.lookup("domain_name")}).
 */
public enum ObjectKind {
    /** remote_nonnull_domain { name; uuid; id }. */
    DOMAIN("domain") {
        @Override
        Map<String, String> read(XdrReader in) {
            String name = Types.readString(in);
            String uuid = in.readUuid().toString();
            in.readInt();
            return attributes("domain_name", name, "domain_uuid", uuid);
        }
    },
    /** remote_nonnull_network { name; uuid }. */
    NETWORK("network") {
        @Override
        Map<String, String> read(XdrReader in) {
            return attributes("network_name", Types.readString(in), "network_uuid", in.readUuid().toString());
        }
    },
    /** remote_nonnull_network_port { net; uuid }. */
    NETWORK_PORT("network_port") {
        @Override
        Map<String, String> read(XdrReader in) {
            Map<String, String> attributes = NETWORK.read(in);
            attributes.put("port_uuid", in.readUuid().toString());
            return attributes;
        }
    },
    /** remote_nonnull_storage_pool { name; uuid }. */
    STORAGE_POOL("storage_pool") {
        @Override
        Map<String, String> read(XdrReader in) {
            return attributes("pool_name", Types.readString(in), "pool_uuid", in.readUuid().toString());
        }
    },
    /** remote_nonnull_storage_vol { pool; name; key }: pool_uuid is added from the pool (see AccessControl). */
    STORAGE_VOL("storage_vol") {
        @Override
        Map<String, String> read(XdrReader in) {
            String pool = Types.readString(in);
            return attributes("pool_name", pool, "vol_name", Types.readString(in), "vol_key", Types.readString(in));
        }
    },
    /** remote_nonnull_node_device { name }. */
    NODE_DEVICE("node_device") {
        @Override
        Map<String, String> read(XdrReader in) {
            return attributes("node_device_name", Types.readString(in));
        }
    },
    /** remote_nonnull_interface { name; mac }. */
    INTERFACE("interface") {
        @Override
        Map<String, String> read(XdrReader in) {
            return attributes("interface_name", Types.readString(in), "interface_macaddr", Types.readString(in));
        }
    },
    /** remote_nonnull_secret { uuid; usageType; usageID }: the usage attribute is named by its type. */
    SECRET("secret") {
        @Override
        Map<String, String> read(XdrReader in) {
            String uuid = in.readUuid().toString();
            int usageType = in.readInt();
            String usage = Types.readString(in);
            String key = switch (usageType) {
                case 1 -> "secret_usage_volume";
                case 2 -> "secret_usage_ceph";
                case 3 -> "secret_usage_target";
                case 4 -> "secret_usage_name";
                default -> null;
            };
            return key == null ? attributes("secret_uuid", uuid) : attributes("secret_uuid", uuid, key, usage);
        }
    },
    /** remote_nonnull_nwfilter { name; uuid }. */
    NWFILTER("nwfilter") {
        @Override
        Map<String, String> read(XdrReader in) {
            return attributes("nwfilter_name", Types.readString(in), "nwfilter_uuid", in.readUuid().toString());
        }
    },
    /** remote_nonnull_nwfilter_binding { portdev; filtername }. */
    NWFILTER_BINDING("nwfilter_binding") {
        @Override
        Map<String, String> read(XdrReader in) {
            return attributes("nwfilter_binding_portdev", Types.readString(in), "nwfilter_binding_filter",
                Types.readString(in));
        }
    };

    private final String object;

    ObjectKind(String object) {
        this.object = object;
    }

    /** Reads the object's remote reference and answers its attributes, in libvirt's order. */
    abstract Map<String, String> read(XdrReader in);

    /** The permission table's name of the object type ("storage_pool"). */
    public String object() {
        return object;
    }

    /** The kind a permission's object names, null for "connect". */
    public static ObjectKind of(String object) {
        for (ObjectKind kind : values()) {
            if (kind.object.equals(object)) {
                return kind;
            }
        }
        if (object.equals("connect")) {
            return null;
        }
        throw new IllegalArgumentException("no object type " + object);
    }

    static Map<String, String> attributes(String... keysAndValues) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            attributes.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return attributes;
    }
}
