package org.jvirtd.driver.qemu.internal.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.model.json.Json;

/**
 * An ordered set of QEMU option properties, written either as JSON (QAPI-typed command lines and QMP)
 * or as the legacy {@code key=value,...} form with commas doubled inside values.
 */
public final class Props {
    private final Map<String, Object> values = new LinkedHashMap<>();

    public static Props of(String key, Object value) {
        return new Props().put(key, value);
    }

    /** Adds a property; null values are left out. Values are strings, numbers, booleans or nested Props. */
    public Props put(String key, Object value) {
        if (value != null) {
            values.put(key, value);
        }
        return this;
    }

    /** Adds a property whose value is JSON's null (QMP's "none", such as a format node without backing). */
    public Props putNull(String key) {
        values.put(key, null);
        return this;
    }

    public Props putAll(Props other) {
        values.putAll(other.values);
        return this;
    }

    public Object get(String key) {
        return values.get(key);
    }

    public Map<String, Object> asMap() {
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, plain(v)));
        return copy;
    }

    /** A value with every nested Props, also inside lists, turned into plain maps for the JSON writer. */
    private static Object plain(Object value) {
        if (value instanceof Props p) {
            return p.asMap();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Props::plain).toList();
        }
        return value;
    }

    public String json() {
        return Json.write(asMap());
    }

    /**
     * The legacy form: the value of {@code leadKey} (such as the device driver) comes first without a key,
     * then {@code key=value} pairs; booleans become on/off.
     */
    public String legacy(String leadKey) {
        StringBuilder out = new StringBuilder();
        if (leadKey != null && values.containsKey(leadKey)) {
            out.append(escapeCommas(String.valueOf(values.get(leadKey))));
        }
        values.forEach((k, v) -> {
            if (k.equals(leadKey)) {
                return;
            }
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(k).append('=').append(v instanceof Boolean b ? (b ? "on" : "off") : escapeCommas(String.valueOf(v)));
        });
        return out.toString();
    }

    public static String escapeCommas(String value) {
        return value.replace(",", ",,");
    }
}
