package org.jvirtd.rpc.protocol;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * remote_typed_param { remote_nonnull_string field; remote_typed_param_value value; }, the value a union on
 * the type number: int (1), unsigned int (2), hyper (3), unsigned hyper (4), double (5), int as boolean (6),
 * remote_nonnull_string (7).
 */
public final class TypedParams {
    private TypedParams() {
    }

    public static void write(XdrWriter out, TypedParameter param) {
        out.writeString(param.field()).writeInt(param.type().number());
        Object value = param.value();
        switch (param.type()) {
            case INT, UINT -> out.writeInt(((Number) value).intValue());
            case BOOLEAN -> out.writeInt(value instanceof Boolean b ? (b ? 1 : 0) : ((Number) value).intValue());
            case LLONG, ULLONG -> out.writeHyper(((Number) value).longValue());
            case DOUBLE -> out.writeHyper(Double.doubleToLongBits(((Number) value).doubleValue()));
            case STRING -> out.writeString((String) value);
        }
    }

    public static void writeAll(XdrWriter out, List<TypedParameter> params) {
        out.writeArray(params, TypedParams::write);
    }

    /** Reads remote_typed_param params<max>, refusing a type number libvirt does not have. */
    public static List<TypedParameter> readAll(XdrReader in, int max) {
        return in.readArray(max, 12, TypedParams::read);
    }

    public static TypedParameter read(XdrReader in) {
        String field = Types.readString(in);
        int number = in.readInt();
        TypedParameter.Type type = TypedParameter.Type.fromNumber(number);
        if (type == null) {
            throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, "unknown parameter type: " + number);
        }
        Object value = switch (type) {
            case INT, UINT, BOOLEAN -> in.readInt();
            case LLONG, ULLONG -> in.readHyper();
            case DOUBLE -> Double.longBitsToDouble(in.readHyper());
            case STRING -> Types.readString(in);
        };
        return new TypedParameter(field, type, value);
    }
}
