package org.jvirtd.model.domain;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * libvirt's memory units (b, k, KiB, KB, M, MiB, MB, ... up to E) scaled to KiB, with overflow checks.
 */
public final class MemoryUnits {
    private MemoryUnits() {
    }

    public static long toKiB(String value, String unit, String element) {
        long number;
        try {
            number = Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN,
                "Invalid value '" + value + "' for element or attribute './" + element + "[1]'");
        }
        long bytesPer = bytesPerUnit(unit == null || unit.isEmpty() ? "KiB" : unit);
        long bytes;
        try {
            bytes = Math.multiplyExact(number, bytesPer);
        } catch (ArithmeticException e) {
            throw new VirtException(ErrorCode.OVERFLOW, ErrorDomain.NONE,
                "value too large: " + value + unit);
        }
        return (bytes + 1023) / 1024;
    }

    static long bytesPerUnit(String unit) {
        return switch (unit) {
            case "b", "byte", "bytes", "B" -> 1L;
            case "k", "KiB", "K" -> 1L << 10;
            case "KB" -> 1000L;
            case "m", "M", "MiB" -> 1L << 20;
            case "MB" -> 1000L * 1000;
            case "g", "G", "GiB" -> 1L << 30;
            case "GB" -> 1000L * 1000 * 1000;
            case "t", "T", "TiB" -> 1L << 40;
            case "TB" -> 1000L * 1000 * 1000 * 1000;
            case "p", "P", "PiB" -> 1L << 50;
            case "PB" -> 1000L * 1000 * 1000 * 1000 * 1000;
            case "e", "E", "EiB" -> 1L << 60;
            case "EB" -> 1000L * 1000 * 1000 * 1000 * 1000 * 1000;
            default -> throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NONE, "unknown suffix '" + unit + "'");
        };
    }
}
