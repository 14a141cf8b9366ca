package org.jvirtd.driver.xen.internal.xl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * An xl.cfg(5) document as libvirt's config reader holds it: settings in file order, each a string, a number or a
 * list of values. Setting an existing name replaces its value where it stands; a new name goes last. Written back
 * as {@code name = value} lines, strings double-quoted, lists as {@code [ a, b ]}.
 */
public final class XlConfig {
    private final Map<String, Object> settings = new LinkedHashMap<>();

    /** Sets a string, a number (Long) or a list (of strings, numbers or lists). */
    public XlConfig set(String name, Object value) {
        settings.put(name, value);
        return this;
    }

    public XlConfig set(String name, long value) {
        return set(name, (Object) value);
    }

    public boolean has(String name) {
        return settings.containsKey(name);
    }

    public Object value(String name) {
        return settings.get(name);
    }

    /** A string setting, or null when absent; a number is not a string (libvirt reports it malformed). */
    public String string(String name) {
        Object v = settings.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        throw malformed(name);
    }

    /** A boolean setting: a number (non-zero is true) or the string "1"; {@code absent} when missing. */
    public int bool(String name, int absent) {
        Object v = settings.get(name);
        if (v == null) {
            return absent;
        }
        if (v instanceof Long l) {
            return l != 0 ? 1 : 0;
        }
        if (v instanceof String s) {
            return "1".equals(s) ? 1 : 0;
        }
        throw malformed(name);
    }

    /** An unsigned number setting, written as a number or a decimal string; {@code absent} when missing. */
    public long number(String name, long absent) {
        Object v = settings.get(name);
        if (v == null) {
            return absent;
        }
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof String s && s.matches("\\d+")) {
            return Long.parseLong(s);
        }
        throw malformed(name);
    }

    /** The strings of a list setting (other entries skipped); empty when absent or not a list. */
    public List<String> strings(String name) {
        List<String> out = new ArrayList<>();
        if (settings.get(name) instanceof List<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(out::add);
        }
        return out;
    }

    /** The raw entries of a list setting; empty when absent or not a list. */
    public List<?> list(String name) {
        return settings.get(name) instanceof List<?> list ? list : List.of();
    }

    private static VirtException malformed(String name) {
        return new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.XENXL, "config value " + name
            + " was malformed");
    }

    /** The document as libvirt writes it: one {@code name = value} line per setting, in order. */
    public String write() {
        StringBuilder out = new StringBuilder();
        settings.forEach((name, value) -> {
            out.append(name).append(" = ");
            writeValue(out, value);
            out.append('\n');
        });
        return out.toString();
    }

    private static void writeValue(StringBuilder out, Object value) {
        if (value instanceof List<?> list) {
            out.append("[ ");
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                writeValue(out, list.get(i));
            }
            out.append(" ]");
        } else if (value instanceof String s) {
            char quote = s.indexOf('"') >= 0 ? '\'' : '"';
            out.append(quote).append(s).append(quote);
        } else {
            out.append(value);
        }
    }

    /** Reads an xl.cfg text; a syntax error is libvirt's VIR_ERR_CONF_SYNTAX. */
    public static XlConfig parse(String text) {
        return new XlConfigReader(text).read();
    }
}
