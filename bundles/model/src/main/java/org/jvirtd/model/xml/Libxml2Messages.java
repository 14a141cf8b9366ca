package org.jvirtd.model.xml;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds the first well-formedness error of a document as libxml2 (the parser of libvirt 9.0) reports it, for the
 * common mistakes: a document that ends inside a tag, an attribute or an element, mismatched end tags, attribute
 * values without quotes or with '&lt;', repeated attributes, undefined entities, text before or after the root
 * element, unterminated comments. The answer is libvirt's text after the document's label: "LINE: MESSAGE",
 * the cursor's line and a pointer under the cursor. A document with anything else (a DOCTYPE, a CDATA section
 * that does not end, ...) gets no answer, and the caller keeps its own parser's message.
 */
final class Libxml2Messages {
    private final String xml;
    private int pos;

    private Libxml2Messages(String xml) {
        this.xml = xml;
    }

    /** libvirt's "LINE: MESSAGE\nCONTEXT\nPOINTER" for the first error, or null when none is recognized. */
    static String describe(String xml) {
        try {
            return new Libxml2Messages(xml).scan();
        } catch (Unrecognized | RuntimeException e) {
            return null;
        }
    }

    /** A construct the scanner does not model. */
    private static final class Unrecognized extends Exception {
        private static final long serialVersionUID = 1L;

        Unrecognized() {
            super(null, null, false, false);
        }
    }

    /** An element whose end tag is still to come: its name and where its start tag begins. */
    private record Open(String name, int offset) {
    }

    private String scan() throws Unrecognized {
        String error = skipMisc();
        if (error != null) {
            return error;
        }
        if (eof() || xml.charAt(pos) != '<') {
            return at(pos, "Start tag expected, '<' not found");
        }
        if (pos + 1 >= xml.length() || !isNameChar(xml.charAt(pos + 1), true)) {
            return at(pos + 1, "StartTag: invalid element name");
        }
        Deque<Open> open = new ArrayDeque<>();
        do {
            if (eof()) {
                return at(pos, "Premature end of data in tag " + open.peek().name() + " line "
                    + line(open.peek().offset()));
            }
            char c = xml.charAt(pos);
            if (c == '&') {
                error = entity();
            } else if (c != '<') {
                pos++;
            } else if (xml.startsWith("</", pos)) {
                error = endTag(open);
            } else if (xml.startsWith("<!--", pos)) {
                error = comment();
            } else if (xml.startsWith("<?", pos)) {
                error = processingInstruction();
            } else if (xml.startsWith("<!", pos)) {
                throw new Unrecognized();
            } else {
                error = startTag(open);
            }
            if (error != null) {
                return error;
            }
        } while (!open.isEmpty());
        error = skipMisc();
        if (error != null) {
            return error;
        }
        return eof() ? null : at(pos, "Extra content at the end of the document");
    }

    /** Blanks, comments and processing instructions (the XML declaration among them). */
    private String skipMisc() throws Unrecognized {
        while (!eof()) {
            if (skipBlanks()) {
                continue;
            } else if (xml.startsWith("<!--", pos)) {
                String error = comment();
                if (error != null) {
                    return error;
                }
            } else if (xml.startsWith("<?", pos)) {
                String error = processingInstruction();
                if (error != null) {
                    return error;
                }
            } else {
                return null;
            }
        }
        return null;
    }

    private String comment() {
        int end = xml.indexOf("-->", pos + 4);
        if (end < 0) {
            return at(xml.length(), "Comment not terminated");
        }
        pos = end + 3;
        return null;
    }

    private String processingInstruction() throws Unrecognized {
        int end = xml.indexOf("?>", pos + 2);
        if (end < 0) {
            throw new Unrecognized();
        }
        pos = end + 2;
        return null;
    }

    private String startTag(Deque<Open> open) throws Unrecognized {
        int tagStart = pos;
        pos++;
        String name = name();
        if (name == null) {
            return at(pos, "StartTag: invalid element name");
        }
        Set<String> attributes = new HashSet<>();
        while (true) {
            boolean blank = skipBlanks();
            if (eof()) {
                return at(pos, blank || attributes.isEmpty() ? "Couldn't find end of Start Tag " + name + " line "
                    + line(tagStart) : "attributes construct error");
            }
            if (xml.startsWith("/>", pos)) {
                pos += 2;
                return null;
            }
            if (xml.charAt(pos) == '>') {
                pos++;
                open.push(new Open(name, tagStart));
                return null;
            }
            if (!blank && !attributes.isEmpty()) {
                return at(pos, "attributes construct error");
            }
            String attribute = name();
            if (attribute == null) {
                return at(pos, "error parsing attribute name");
            }
            skipBlanks();
            if (eof() || xml.charAt(pos) != '=') {
                return at(pos, "Specification mandates value for attribute " + attribute);
            }
            pos++;
            skipBlanks();
            if (eof() || (xml.charAt(pos) != '\'' && xml.charAt(pos) != '"')) {
                return at(pos, "AttValue: \" or ' expected");
            }
            char quote = xml.charAt(pos++);
            while (!eof() && xml.charAt(pos) != quote) {
                if (xml.charAt(pos) == '<') {
                    return at(pos, "Unescaped '<' not allowed in attributes values");
                }
                if (xml.charAt(pos) == '&') {
                    String error = entity();
                    if (error != null) {
                        return error;
                    }
                } else {
                    pos++;
                }
            }
            if (eof()) {
                return at(pos, "AttValue: ' expected");
            }
            pos++;
            if (!attributes.add(attribute)) {
                return at(pos, "Attribute " + attribute + " redefined");
            }
        }
    }

    private String endTag(Deque<Open> open) throws Unrecognized {
        pos += 2;
        String name = name();
        if (name == null) {
            return at(pos, "expected '>'");
        }
        if (open.isEmpty()) {
            throw new Unrecognized();
        }
        skipBlanks();
        if (eof() || xml.charAt(pos) != '>') {
            return at(pos, "expected '>'");
        }
        pos++;
        Open top = open.pop();
        if (!top.name().equals(name)) {
            return at(pos, "Opening and ending tag mismatch: " + top.name() + " line " + line(top.offset()) + " and "
                + name);
        }
        return null;
    }

    /**
     * A reference: the five predefined entities and character references of XML characters pass; another name
     * is undefined.
     */
    private String entity() throws Unrecognized {
        pos++;
        if (!eof() && xml.charAt(pos) == '#') {
            return characterReference();
        }
        String name = name();
        if (name == null) {
            return at(pos, "xmlParseEntityRef: no name");
        }
        if (eof() || xml.charAt(pos) != ';') {
            return at(pos, "EntityRef: expecting ';'");
        }
        pos++;
        if (name.matches("lt|gt|amp|apos|quot")) {
            return null;
        }
        return at(pos, "Entity '" + name + "' not defined");
    }

    private String characterReference() throws Unrecognized {
        pos++;
        boolean hex = !eof() && xml.charAt(pos) == 'x';
        if (hex) {
            pos++;
        }
        long value = 0;
        int digits = 0;
        while (!eof() && xml.charAt(pos) != ';') {
            int digit = Character.digit(xml.charAt(pos), hex ? 16 : 10);
            if (digit < 0) {
                return at(pos, hex ? "CharRef: invalid hexadecimal value" : "CharRef: invalid decimal value");
            }
            value = Math.min(value * (hex ? 16 : 10) + digit, 0x110000);
            digits++;
            pos++;
        }
        if (eof()) {
            return at(pos, hex ? "CharRef: invalid hexadecimal value" : "CharRef: invalid decimal value");
        }
        pos++;
        if (digits == 0) {
            throw new Unrecognized();
        }
        boolean xmlChar = value == 0x9 || value == 0xA || value == 0xD || (value >= 0x20 && value <= 0xD7FF)
            || (value >= 0xE000 && value <= 0xFFFD) || (value >= 0x10000 && value <= 0x10FFFF);
        return xmlChar ? null : at(pos, "xmlParseCharRef: invalid xmlChar value " + value);
    }

    private String name() {
        int start = pos;
        while (!eof() && isNameChar(xml.charAt(pos), pos == start)) {
            pos++;
        }
        return pos == start ? null : xml.substring(start, pos);
    }

    private static boolean isNameChar(char c, boolean first) {
        if (Character.isLetter(c) || c == '_' || c == ':' || c >= 0x80) {
            return true;
        }
        return !first && (Character.isDigit(c) || c == '.' || c == '-');
    }

    private boolean skipBlanks() {
        int start = pos;
        while (!eof() && (xml.charAt(pos) == ' ' || xml.charAt(pos) == '\t' || xml.charAt(pos) == '\n'
            || xml.charAt(pos) == '\r')) {
            pos++;
        }
        return pos > start;
    }

    private boolean eof() {
        return pos >= xml.length();
    }

    private int line(int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < xml.length(); i++) {
            if (xml.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private String at(int cursor, String message) {
        return line(cursor) + ": " + message + "\n" + SafeXml.context(xml, cursor);
    }
}
