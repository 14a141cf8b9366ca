package org.jvirtd.model.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.VirtException;

/**
 * One entry of a suite's cases.json, with its files resolved against the suite folder.
 */
public record ConformanceCase(String name, String expect, Map<String, Object> fields, Path dir) {

    /** True when the case must fail while parsing. */
    public boolean expectsParseError() {
        return "parse-error".equals(expect);
    }

    /** True when the case must parse but fail to produce output. */
    public boolean expectsFailure() {
        return "fail".equals(expect);
    }

    /**
     * The verdict on a refusal while parsing: null when the case expects a parse error and, where the corpus holds
     * libvirt's message for it, the message is libvirt's (rule U); otherwise why the case fails.
     */
    public String refusedWhileParsing(VirtException e) throws IOException {
        return refusal(expectsParseError(), "parse failed", e);
    }

    /**
     * The verdict on a refusal while generating the output (command line, config): null when the case expects
     * that failure with libvirt's message where the corpus has it; otherwise why the case fails.
     */
    public String refusedWhileGenerating(VirtException e) throws IOException {
        return refusal(expectsFailure(), "generating the output failed", e);
    }

    private String refusal(boolean expectedHere, String phase, VirtException e) throws IOException {
        if (!expectedHere) {
            return phase + ": " + e.getMessage();
        }
        if (file("expectedError") == null) {
            return null;
        }
        String libvirts = read("expectedError");
        return TextCompare.unwrapped(libvirts, e.getMessage()) == null ? null
            : phase + " as expected, but with another message than libvirt's: expected [" + libvirts.strip()
                + "] got [" + e.getMessage() + "]";
    }

    /** The path for a role in "files" (a nested role like expected.inactive is given as two keys). */
    public Path file(String... roles) {
        Object node = fields.get("files");
        for (String role : roles) {
            node = node instanceof Map<?, ?> map ? map.get(role) : null;
        }
        return node instanceof String s ? dir.resolve(s) : null;
    }

    public String read(String... roles) throws IOException {
        Path path = file(roles);
        if (path == null) {
            throw new IOException("case " + name + " has no file for " + String.join(".", roles));
        }
        return Files.readString(path, StandardCharsets.UTF_8);
    }

    public Object field(String key) {
        return fields.get(key);
    }

    /** A list-of-strings field such as formatFlags; empty when absent. */
    public List<String> strings(String key) {
        return fields.get(key) instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }

    public boolean flag(String key) {
        return Boolean.TRUE.equals(fields.get(key));
    }
}
