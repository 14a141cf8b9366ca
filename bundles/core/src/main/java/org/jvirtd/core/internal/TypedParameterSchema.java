package org.jvirtd.core.internal;

import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;

/** The parameter names and types a typed-parameter call accepts, checked with libvirt's messages. */
record TypedParameterSchema(Map<String, TypedParameter.Type> fields) {

    /** Refuses unknown names (ARGUMENT_UNSUPPORTED), wrong types and repeated names (INVALID_ARG), as libvirt does. */
    void validate(List<TypedParameter> params) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (TypedParameter param : params) {
            TypedParameter.Type type = fields.get(param.field());
            if (type == null) {
                throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.NONE,
                    "parameter '" + param.field() + "' not supported");
            }
            if (param.type() != type) {
                throw VirtErrors.invalidArg(ErrorDomain.NONE, "invalid type '" + param.type().label()
                    + "' for parameter '" + param.field() + "', expected '" + type.label() + "'");
            }
            if (!seen.add(param.field())) {
                throw VirtErrors.invalidArg(ErrorDomain.NONE, "parameter '" + param.field()
                    + "' occurs multiple times");
            }
        }
    }

    /** A number parameter's value as a long (UINT and INT as libvirt's unsigned/signed ints). */
    static long number(TypedParameter param) {
        return switch (param.type()) {
            case UINT -> Integer.toUnsignedLong((Integer) param.value());
            case BOOLEAN, INT -> ((Integer) param.value()).longValue();
            default -> ((Number) param.value()).longValue();
        };
    }
}
