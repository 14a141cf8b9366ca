package org.jvirtd.api;

import java.util.Objects;

/**
 * One virTypedParameter: a field name, libvirt's type of its value and the value (Integer for INT, UINT and
 * BOOLEAN as 0/1; Long for LLONG and ULLONG; Double; String).
 */
public record TypedParameter(String field, Type type, Object value) {
    /** virTypedParameterType, with its wire number. */
    public enum Type {
        INT(1, "int"), UINT(2, "uint"), LLONG(3, "llong"), ULLONG(4, "ullong"), DOUBLE(5, "double"),
        BOOLEAN(6, "boolean"), STRING(7, "string");

        private final int number;
        private final String label;

        Type(int number, String label) {
            this.number = number;
            this.label = label;
        }

        public int number() {
            return number;
        }

        /** The name libvirt's messages use ("uint", "ullong", ...). */
        public String label() {
            return label;
        }

        /** The type of a wire number, or null when libvirt has none with it. */
        public static Type fromNumber(int number) {
            for (Type type : values()) {
                if (type.number == number) {
                    return type;
                }
            }
            return null;
        }
    }

    public TypedParameter {
        Objects.requireNonNull(field);
        Objects.requireNonNull(type);
        Objects.requireNonNull(value);
    }

    public static TypedParameter ofUint(String field, long value) {
        return new TypedParameter(field, Type.UINT, (int) value);
    }

    public static TypedParameter ofLlong(String field, long value) {
        return new TypedParameter(field, Type.LLONG, value);
    }

    public static TypedParameter ofUllong(String field, long value) {
        return new TypedParameter(field, Type.ULLONG, value);
    }
}
