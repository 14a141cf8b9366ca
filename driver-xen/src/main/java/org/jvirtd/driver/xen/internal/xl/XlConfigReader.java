package org.jvirtd.driver.xen.internal.xl;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * Reads the config file syntax libvirt shares with xl: {@code name = value} statements ended by a newline or
 * {@code ;}, {@code #} comments, values that are quoted strings (single, double or triple double quotes), numbers
 * or bracketed lists that may span lines and nest.
 */
final class XlConfigReader {
    private final String text;
    private int pos;
    private int line = 1;

    XlConfigReader(String text) {
        this.text = text;
    }

    XlConfig read() {
        XlConfig config = new XlConfig();
        while (true) {
            skipBlank(true);
            if (end()) {
                return config;
            }
            String name = name();
            skipBlank(false);
            expect('=', "expecting an assignment");
            skipBlank(false);
            Object value = value();
            skipBlank(false);
            if (!end() && ";\n\r#".indexOf(text.charAt(pos)) < 0) {
                throw error("expecting a separator");
            }
            config.set(name, value);
        }
    }

    private String name() {
        int start = pos;
        if (end() || !(Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_')) {
            throw error("expecting a name");
        }
        while (!end() && (Character.isLetterOrDigit(text.charAt(pos)) || "_.-".indexOf(text.charAt(pos)) >= 0)) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private Object value() {
        if (end()) {
            throw error("expecting a value");
        }
        char c = text.charAt(pos);
        if (c == '[') {
            pos++;
            List<Object> list = new ArrayList<>();
            skipBlank(true);
            while (!end() && text.charAt(pos) != ']') {
                list.add(value());
                skipBlank(true);
                if (!end() && text.charAt(pos) == ',') {
                    pos++;
                    skipBlank(true);
                } else if (end() || text.charAt(pos) != ']') {
                    throw error("expecting a separator in list");
                }
            }
            expect(']', "list is not closed with ]");
            return list;
        }
        if (text.startsWith("\"\"\"", pos)) {
            int close = text.indexOf("\"\"\"", pos + 3);
            if (close < 0) {
                throw error("unterminated string");
            }
            String s = text.substring(pos + 3, close);
            line += (int) s.chars().filter(ch -> ch == '\n').count();
            pos = close + 3;
            return s;
        }
        if (c == '"' || c == '\'') {
            int close = text.indexOf(c, pos + 1);
            int newline = text.indexOf('\n', pos + 1);
            if (close < 0 || (newline >= 0 && newline < close)) {
                throw error("unterminated string");
            }
            String s = text.substring(pos + 1, close);
            pos = close + 1;
            return s;
        }
        int start = pos;
        if (c == '-' || c == '+') {
            pos++;
        }
        while (!end() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos == start || !Character.isDigit(text.charAt(pos - 1))) {
            throw error("expecting a value");
        }
        return Long.parseLong(text.substring(start, pos));
    }

    /** Skips spaces and tabs, comments, and with {@code lines} also line ends. */
    private void skipBlank(boolean lines) {
        while (!end()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t') {
                pos++;
            } else if (c == '#') {
                while (!end() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (lines && (c == '\n' || c == '\r' || c == ';')) {
                if (c == '\n') {
                    line++;
                }
                pos++;
            } else {
                return;
            }
        }
    }

    private void expect(char c, String message) {
        if (end() || text.charAt(pos) != c) {
            throw error(message);
        }
        pos++;
    }

    private boolean end() {
        return pos >= text.length();
    }

    private VirtException error(String message) {
        return new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.CONF, "memory conf:" + line + ": " + message);
    }
}
