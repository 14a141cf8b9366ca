package org.jvirtd.core.internal;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * Checks object names before they become file names: no '/', not '.' or '..', no control characters.
 */
final class Names {
    private Names() {
    }

    static void check(String kind, String name) {
        if (name == null || name.isEmpty()) {
            throw new VirtException(ErrorCode.NO_NAME, ErrorDomain.DOMAIN, kind + " name");
        }
        if (name.indexOf('/') >= 0) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, "name " + name + " cannot contain '/'");
        }
        if (name.equals(".") || name.equals("..") || name.startsWith(".")) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN,
                "name '" + name + "' cannot start with '.'");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN,
                    "name '" + name.replaceAll("\\p{Cntrl}", "?") + "' cannot contain control characters");
            }
        }
    }
}
