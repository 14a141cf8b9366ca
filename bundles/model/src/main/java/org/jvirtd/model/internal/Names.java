package org.jvirtd.model.internal;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * Validates object names the way libvirt's virXMLCheckIllegalChars does before a name can become a file name.
 */
public final class Names {
    private Names() {
    }

    /** Reads a required name; absent or empty is VIR_ERR_NO_NAME, a '/' or control character VIR_ERR_XML_DETAIL. */
    public static String require(ErrorDomain domain, String name, String missingDetail) {
        if (name == null || name.isEmpty()) {
            throw new VirtException(ErrorCode.NO_NAME, domain, missingDetail);
        }
        checkIllegalChars(domain, "name", name, "/");
        return name;
    }

    public static void checkIllegalChars(ErrorDomain domain, String what, String value, String illegal) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (illegal.indexOf(c) >= 0) {
                throw Errors.xmlDetail(domain, "invalid char in " + what + ": " + c);
            }
            if (c < 0x20) {
                throw Errors.xmlDetail(domain, String.format("invalid char in %s: 0x%02x", what, (int) c));
            }
        }
    }
}
