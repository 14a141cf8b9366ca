package org.jvirtd.model.conformance;

/**
 * The conformance README's text comparison rules: U (unwrapped) and R (raw), with a readable first difference.
 */
public final class TextCompare {
    private TextCompare() {
    }

    /** Rule U: drop backslash-newline from the expected text, then compare like rule R; null when equal. */
    public static String unwrapped(String expected, String actual) {
        return raw(expected.replace("\\\n", ""), actual);
    }

    /** Rule R: append a missing final newline to the actual text, then compare exactly; null when equal. */
    public static String raw(String expected, String actual) {
        if (expected.endsWith("\n") && !actual.endsWith("\n")) {
            actual = actual + "\n";
        }
        if (expected.equals(actual)) {
            return null;
        }
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "<end>";
            String al = i < a.length ? a[i] : "<end>";
            if (!el.equals(al)) {
                return "line " + (i + 1) + ": expected [" + el.strip() + "] got [" + al.strip() + "]";
            }
        }
        return "output differs";
    }
}
