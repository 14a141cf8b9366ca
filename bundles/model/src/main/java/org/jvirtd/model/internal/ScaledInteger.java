package org.jvirtd.model.internal;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * libvirt's scaled integers ({@code <memory unit='GiB'>}, {@code <capacity unit='G'>}): unit suffixes b, k..e
 * with KiB/KB variants, overflow checked against a limit.
 */
public final class ScaledInteger {
    private ScaledInteger() {
    }

    /**
     * Parses a non-negative number and scales it to bytes.
     *
     * @param defaultScale the multiplier when no unit is given (1024 for domain memory, 1 for storage)
     * @param limit the largest byte count accepted
     */
    public static long toBytes(ErrorDomain domain, String what, String value, String unit, long defaultScale,
                               long limit) {
        long number = parseUnsigned(domain, what, value);
        long scale = scale(unit, defaultScale);
        if (number != 0 && Long.compareUnsigned(number, Long.divideUnsigned(limit, scale)) > 0) {
            throw new VirtException(ErrorCode.OVERFLOW, domain,
                "value too large: " + Long.toUnsignedString(number) + (unit == null ? "" : unit));
        }
        return number * scale;
    }

    /** The multiplier of a unit suffix, as libvirt's virScaleInteger reads it. */
    public static long scale(String unit, long defaultScale) {
        if (unit == null || unit.isEmpty()) {
            return defaultScale;
        }
        String lower = unit.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("b") || lower.equals("byte") || lower.equals("bytes")) {
            return 1;
        }
        long base;
        if (unit.length() == 1 || unit.substring(1).equalsIgnoreCase("iB")) {
            base = 1024;
        } else if (unit.length() == 2 && Character.toLowerCase(unit.charAt(1)) == 'b') {
            base = 1000;
        } else {
            throw unknownSuffix(unit);
        }
        int power = "kmgtpe".indexOf(lower.charAt(0));
        if (power < 0) {
            throw unknownSuffix(unit);
        }
        long scale = 1;
        for (int i = 0; i <= power; i++) {
            scale *= base;
        }
        return scale;
    }

    private static VirtException unknownSuffix(String unit) {
        return new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NONE, "unknown suffix '" + unit + "'");
    }

    /** A decimal unsigned 64-bit number as libvirt's virStrToLong_ullp reads it (no sign, no spaces). */
    public static long parseUnsigned(ErrorDomain domain, String what, String value) {
        String digits = value == null ? "" : value.strip();
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw Errors.xml(domain, "Invalid value '" + value + "' for element or attribute '" + what + "'");
        }
        try {
            return Long.parseUnsignedLong(digits);
        } catch (NumberFormatException e) {
            throw new VirtException(ErrorCode.OVERFLOW, domain, "value too large: " + digits);
        }
    }
}
