package org.jvirtd.model.internal;

import org.jvirtd.api.ErrorDomain;

/**
 * libvirt's tri-state yes/no attributes.
 */
public final class YesNo {
    private YesNo() {
    }

    public static Boolean parse(ErrorDomain domain, String attribute, String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw Errors.xml(domain, "Invalid value '" + value + "' for attribute '" + attribute + "'");
        };
    }
}
