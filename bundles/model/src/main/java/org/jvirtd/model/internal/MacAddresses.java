package org.jvirtd.model.internal;

import java.util.Locale;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * MAC addresses as libvirt reads and writes them: six hex octets separated by colons, written lower case.
 */
public final class MacAddresses {
    private MacAddresses() {
    }

    /** The canonical form, or a VIR_ERR_INVALID_MAC-style XML error naming the value. */
    public static String canonical(ErrorDomain domain, String text, String context) {
        return canonical(domain, text, context, "");
    }

    /** As {@link #canonical(ErrorDomain, String, String)}, the message ending in {@code where}. */
    public static String canonical(ErrorDomain domain, String text, String context, String where) {
        String[] parts = text.strip().split(":", -1);
        if (parts.length != 6) {
            throw invalid(domain, text, context, where);
        }
        StringBuilder out = new StringBuilder(17);
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 2 || !part.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw invalid(domain, text, context, where);
            }
            if (out.length() > 0) {
                out.append(':');
            }
            out.append(String.format(Locale.ROOT, "%02x", Integer.parseInt(part, 16)));
        }
        return out.toString();
    }

    /** True when the first octet has the multicast bit set, which libvirt refuses for a NIC. */
    public static boolean isMulticast(String canonical) {
        return (Integer.parseInt(canonical.substring(0, 2), 16) & 1) != 0;
    }

    private static VirtException invalid(ErrorDomain domain, String text, String context, String where) {
        return new VirtException(ErrorCode.XML_ERROR, domain, "Invalid " + context + " '" + text + "'" + where);
    }
}
