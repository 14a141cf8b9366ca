package org.jvirtd.model.internal;

import org.jvirtd.api.ErrorDomain;
import org.w3c.dom.Element;

/**
 * libvirt's tri-state yes/no attributes.
 */
public final class YesNo {
    private YesNo() {
    }

    /**
     * An attribute read as libvirt's virXMLPropTristateBool reads it, whose message names the attribute, its
     * element and the value.
     */
    public static Boolean parse(ErrorDomain domain, Element element, String attribute) {
        String value = Dom.attr(element, attribute);
        if (value == null || value.equals("yes") || value.equals("no")) {
            return value == null ? null : value.equals("yes");
        }
        throw Errors.xml(domain, "Invalid value for attribute '" + attribute + "' in element '"
            + element.getLocalName() + "': '" + value + "'.");
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
