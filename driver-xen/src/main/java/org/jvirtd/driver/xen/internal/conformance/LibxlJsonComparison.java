package org.jvirtd.driver.xen.internal.conformance;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rule J of the conformance README: two libxl JSON documents are equal as trees, whatever their key order, where a
 * key missing on one side equals libxl's default on the other ("False", 0, "", false, an empty list or object, an
 * object of defaults only, and -1 for a devid).
 */
final class LibxlJsonComparison {
    private LibxlJsonComparison() {
    }

    /** Null when equal, otherwise the path of the first difference and both values. */
    static String difference(Object expected, Object actual) {
        return compare(expected, actual, "");
    }

    private static String compare(Object expected, Object actual, String path) {
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            Set<Object> keys = new HashSet<>(e.keySet());
            keys.addAll(a.keySet());
            for (Object key : keys.stream().sorted().toList()) {
                String at = path + "/" + key;
                Object ev = e.get(key);
                Object av = a.get(key);
                String diff;
                if (ev == null) {
                    diff = isDefault(key, av) ? null : at + ": missing in the expected document, got " + av;
                } else if (av == null) {
                    diff = isDefault(key, ev) ? null : at + ": expected " + ev + ", missing";
                } else {
                    diff = compare(ev, av, at);
                }
                if (diff != null) {
                    return diff;
                }
            }
            return null;
        }
        if (expected instanceof List<?> e && actual instanceof List<?> a) {
            if (e.size() != a.size()) {
                return path + ": expected " + e.size() + " entries, got " + a.size();
            }
            for (int i = 0; i < e.size(); i++) {
                String diff = compare(e.get(i), a.get(i), path + "[" + i + "]");
                if (diff != null) {
                    return diff;
                }
            }
            return null;
        }
        if (expected instanceof Number e && actual instanceof Number a) {
            return e.doubleValue() == a.doubleValue() ? null : path + ": expected " + e + ", got " + a;
        }
        return expected.equals(actual) ? null : path + ": expected " + expected + ", got " + actual;
    }

    private static boolean isDefault(Object key, Object value) {
        if (value == null || "False".equals(value) || "".equals(value) || Boolean.FALSE.equals(value)) {
            return true;
        }
        if (value instanceof Number n) {
            return n.doubleValue() == 0 || ("devid".equals(key) && n.doubleValue() == -1);
        }
        if (value instanceof List<?> list) {
            return list.isEmpty();
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().allMatch(e -> isDefault(e.getKey(), e.getValue()));
        }
        return false;
    }
}
