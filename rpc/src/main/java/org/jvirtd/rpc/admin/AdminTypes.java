package org.jvirtd.rpc.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.rpc.dispatch.RpcErrors;
import org.jvirtd.rpc.xdr.XdrException;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The ADMIN program's structures (admin_protocol.x): servers and clients by name and id, and typed
 * parameters, with their XDR form and the size bounds the decoder enforces.
 */
final class AdminTypes {
    static final long STRING_MAX = 4_194_304;
    static final long SERVER_LIST_MAX = 16_384;
    static final long CLIENT_LIST_MAX = 16_384;
    static final long CLIENT_INFO_PARAMETERS_MAX = 64;
    static final long CLIENT_LIMITS_MAX = 32;
    static final long THREADPOOL_PARAMETERS_MAX = 32;

    /** admin_nonnull_server. */
    record Server(String name) {
        static Server read(XdrReader in) {
            return new Server(in.readString(STRING_MAX));
        }

        void write(XdrWriter out) {
            out.writeString(name);
        }
    }

    /** admin_nonnull_client: its server, id, connection time (seconds) and transport. */
    record Client(Server server, long id, long timestamp, int transport) {
        static Client read(XdrReader in) {
            return new Client(Server.read(in), in.readHyper(), in.readHyper(), in.readInt());
        }

        void write(XdrWriter out) {
            server.write(out);
            out.writeHyper(id);
            out.writeHyper(timestamp);
            out.writeInt(transport);
        }
    }

    /** admin_typed_param with virTypedParameterType's numbers. */
    record TypedParam(String field, int type, Object value) {
        static final int INT = 1;
        static final int UINT = 2;
        static final int LLONG = 3;
        static final int ULLONG = 4;
        static final int DOUBLE = 5;
        static final int BOOLEAN = 6;
        static final int STRING = 7;
        private static final String[] TYPE_NAMES = {"", "int", "uint", "llong", "ullong", "double", "boolean",
            "string"};

        static TypedParam uint(String field, long value) {
            return new TypedParam(field, UINT, value);
        }

        static TypedParam bool(String field, boolean value) {
            return new TypedParam(field, BOOLEAN, value);
        }

        static TypedParam string(String field, String value) {
            return new TypedParam(field, STRING, value);
        }

        void write(XdrWriter out) {
            out.writeString(field);
            out.writeInt(type);
            switch (type) {
                case UINT -> out.writeUnsignedInt((Long) value);
                case BOOLEAN -> out.writeInt((Boolean) value ? 1 : 0);
                case STRING -> out.writeString((String) value);
                default -> throw new IllegalStateException("typed parameter type " + type);
            }
        }

        static TypedParam read(XdrReader in) {
            String field = in.readString(STRING_MAX);
            int type = in.readInt();
            Object value = switch (type) {
                case INT, BOOLEAN -> in.readInt();
                case UINT -> in.readUnsignedInt();
                case LLONG, ULLONG, DOUBLE -> in.readHyper();
                case STRING -> in.readString(STRING_MAX);
                default -> throw new XdrException("typed parameter type " + type);
            };
            return new TypedParam(field, type, value);
        }

        /**
         * Reads a list of unsigned int parameters a set call may carry, by field, refusing unknown fields
         * and other types as libvirt's typed parameter validation does.
         */
        static Map<String, Long> readUints(XdrReader in, long max, Set<String> allowed) {
            List<TypedParam> params = in.readArray(max, 12, TypedParam::read);
            Map<String, Long> values = new LinkedHashMap<>();
            for (TypedParam param : params) {
                // libvirt's typed parameter validation reports from no particular domain
                if (!allowed.contains(param.field())) {
                    throw new AdminException(RpcErrors.build(ErrorCode.ARGUMENT_UNSUPPORTED,
                        ErrorDomain.NONE.number(), "parameter '" + param.field() + "' not supported"));
                }
                if (param.type() != UINT) {
                    throw new AdminException(RpcErrors.build(ErrorCode.INVALID_ARG, ErrorDomain.NONE.number(),
                        "invalid type '" + TYPE_NAMES[param.type()] + "' for parameter '" + param.field()
                            + "', expected 'uint'"));
                }
                values.put(param.field(), (Long) param.value());
            }
            return values;
        }

        static void writeAll(XdrWriter out, List<TypedParam> params) {
            out.writeArray(params, (w, p) -> p.write(w));
        }
    }

    private AdminTypes() {
    }
}
