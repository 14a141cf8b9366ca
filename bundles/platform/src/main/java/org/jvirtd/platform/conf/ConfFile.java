package org.jvirtd.platform.conf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * A config file in libvirtd.conf / qemu.conf syntax: {@code key = value} lines where a value is a
 * "quoted string", an integer or a [ list, of, "strings" ]; {@code #} starts a comment; a list may span
 * lines. Syntax errors are VIR_ERR_CONF_SYNTAX naming the file and line, as libvirt reports them.
 */
public final class ConfFile {
    private final String name;
    private final Map<String, ConfValue> values;

    private ConfFile(String name, Map<String, ConfValue> values) {
        this.name = name;
        this.values = Collections.unmodifiableMap(values);
    }

    public static ConfFile empty(String name) {
        return new ConfFile(name, new LinkedHashMap<>());
    }

    /** Reads a file; a missing file is an empty config, as libvirtd treats it. */
    public static ConfFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return empty(file.toString());
        } catch (IOException e) {
            throw new VirtException(ErrorCode.READ_FAILED, ErrorDomain.CONF, file + ": " + e.getMessage(), e);
        }
        return parse(file.toString(), text);
    }

    public static ConfFile parse(String name, String text) {
        return new ConfFile(name, new Parser(name, text).parse());
    }

    public String name() {
        return name;
    }

    public Map<String, ConfValue> values() {
        return values;
    }

    public Optional<ConfValue> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String string(String key, String fallback) {
        ConfValue value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof ConfValue.Text text) {
            return text.value();
        }
        throw typeError(key, value, "a string");
    }

    public long number(String key, long fallback) {
        ConfValue value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof ConfValue.Number number) {
            return number.value();
        }
        throw typeError(key, value, "an integer");
    }

    public boolean bool(String key, boolean fallback) {
        ConfValue value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof ConfValue.Number number && (number.value() == 0 || number.value() == 1)) {
            return number.value() == 1;
        }
        throw typeError(key, value, "0 or 1");
    }

    /** A list value; a single string counts as a list of one, as libvirt accepts. */
    public List<String> strings(String key, List<String> fallback) {
        ConfValue value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof ConfValue.Strings list) {
            return list.values();
        }
        if (value instanceof ConfValue.Text text) {
            return List.of(text.value());
        }
        throw typeError(key, value, "a list of strings");
    }

    private VirtException typeError(String key, ConfValue value, String expected) {
        return new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.CONF,
            name + ":" + value.line() + ": " + key + " must be " + expected);
    }

    /** A small recursive-descent reader over the whole text. */
    private static final class Parser {
        private final String name;
        private final String text;
        private int pos;
        private int line = 1;

        Parser(String name, String text) {
            this.name = name;
            this.text = text;
        }

        Map<String, ConfValue> parse() {
            Map<String, ConfValue> result = new LinkedHashMap<>();
            while (true) {
                skipBlanksAndComments(true);
                if (pos >= text.length()) {
                    return result;
                }
                int keyLine = line;
                String key = readKey();
                skipBlanksAndComments(false);
                expect('=', "expecting an assignment");
                skipBlanksAndComments(false);
                result.put(key, readValue(keyLine));
                skipBlanksAndComments(false);
                if (pos < text.length()) {
                    char c = text.charAt(pos);
                    if (c == ';') {
                        pos++;
                    } else if (c != '\n') {
                        throw error("expecting a separator");
                    }
                }
            }
        }

        private String readKey() {
            int start = pos;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
                    pos++;
                } else {
                    break;
                }
            }
            if (start == pos || !Character.isLetter(text.charAt(start))) {
                throw error("expecting a name");
            }
            return text.substring(start, pos);
        }

        private ConfValue readValue(int keyLine) {
            if (pos >= text.length()) {
                throw error("expecting a value");
            }
            char c = text.charAt(pos);
            if (c == '"' || c == '\'') {
                return new ConfValue.Text(readString(), keyLine);
            }
            if (c == '[') {
                pos++;
                List<String> items = new ArrayList<>();
                skipBlanksAndComments(true);
                if (peek() == ']') {
                    pos++;
                    return new ConfValue.Strings(items, keyLine);
                }
                while (true) {
                    skipBlanksAndComments(true);
                    char q = peek();
                    if (q != '"' && q != '\'') {
                        throw error("expecting a string in the list");
                    }
                    items.add(readString());
                    skipBlanksAndComments(true);
                    char next = peek();
                    if (next == ',') {
                        pos++;
                        skipBlanksAndComments(true);
                        if (peek() == ']') {
                            pos++;
                            return new ConfValue.Strings(items, keyLine);
                        }
                    } else if (next == ']') {
                        pos++;
                        return new ConfValue.Strings(items, keyLine);
                    } else {
                        throw error("expecting a separator in list");
                    }
                }
            }
            if (c == '-' || c == '+' || Character.isDigit(c)) {
                int start = pos;
                pos++;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
                try {
                    return new ConfValue.Number(Long.parseLong(text.substring(start, pos)), keyLine);
                } catch (NumberFormatException e) {
                    throw error("numeric value too large or malformed");
                }
            }
            throw error("expecting a value");
        }

        private String readString() {
            char quote = text.charAt(pos++);
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != quote) {
                if (text.charAt(pos) == '\n') {
                    throw error("unterminated string");
                }
                pos++;
            }
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            return text.substring(start, pos++);
        }

        private char peek() {
            if (pos >= text.length()) {
                throw error("unexpected end of file");
            }
            return text.charAt(pos);
        }

        private void expect(char c, String message) {
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw error(message);
            }
            pos++;
        }

        private void skipBlanksAndComments(boolean newlines) {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '#') {
                    while (pos < text.length() && text.charAt(pos) != '\n') {
                        pos++;
                    }
                } else if (c == ' ' || c == '\t' || c == '\r') {
                    pos++;
                } else if (c == '\n' && newlines) {
                    pos++;
                    line++;
                } else {
                    return;
                }
            }
        }

        private VirtException error(String message) {
            return new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.CONF, name + ":" + line + ": " + message);
        }
    }
}
