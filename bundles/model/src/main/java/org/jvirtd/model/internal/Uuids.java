package org.jvirtd.model.internal;

import java.util.UUID;

import org.jvirtd.api.ErrorDomain;

/**
 * Reads {@code <uuid>} the way libvirt's virUUIDParse does: 32 hex digits, dashes anywhere between pairs,
 * surrounding blanks allowed; a missing element yields a random UUID.
 */
public final class Uuids {
    private Uuids() {
    }

    public static UUID parseOrGenerate(ErrorDomain domain, String text) {
        return text == null ? UUID.randomUUID() : parse(domain, text);
    }

    public static UUID parse(ErrorDomain domain, String text) {
        String trimmed = text.strip();
        StringBuilder hex = new StringBuilder(32);
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == '-') {
                continue;
            }
            if (Character.digit(c, 16) < 0 || hex.length() == 32) {
                throw malformed(domain);
            }
            hex.append(c);
        }
        if (hex.length() != 32) {
            throw malformed(domain);
        }
        return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16),
            Long.parseUnsignedLong(hex.substring(16), 16));
    }

    private static RuntimeException malformed(ErrorDomain domain) {
        return Errors.internal(domain, "malformed uuid element");
    }
}
