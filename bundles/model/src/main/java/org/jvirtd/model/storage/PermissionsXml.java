package org.jvirtd.model.storage;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Dom;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlTag;
import org.w3c.dom.Element;

/**
 * Parse/format of {@code <permissions>}: octal mode, numeric owner and group, label.
 */
final class PermissionsXml {
    private static final ErrorDomain D = ErrorDomain.STORAGE;

    private PermissionsXml() {
    }

    static Permissions parse(Element e) {
        if (e == null) {
            return new Permissions(-1, -1, -1, null);
        }
        String modeText = Dom.trimmedText(e, "mode");
        int mode = -1;
        if (modeText != null) {
            try {
                mode = Integer.parseInt(modeText, 8);
            } catch (NumberFormatException ex) {
                throw Errors.xml(D, "malformed octal mode");
            }
            if ((mode & ~0777) != 0) {
                throw Errors.xml(D, "malformed octal mode");
            }
        }
        return new Permissions(mode, id(e, "owner"), id(e, "group"), Dom.text(e, "label"));
    }

    private static long id(Element e, String element) {
        String text = Dom.trimmedText(e, element);
        if (text == null) {
            return -1;
        }
        try {
            long value = Long.parseLong(text);
            if (value < -1 || value > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return value == 0xffffffffL ? -1 : value;
        } catch (NumberFormatException ex) {
            throw Errors.xml(D, "malformed " + element + " element");
        }
    }

    static XmlTag format(Permissions p) {
        if (p == null || p.isEmpty()) {
            return null;
        }
        return XmlTag.of("permissions").textChild("mode", p.mode() < 0 ? null : "0" + Integer.toOctalString(p.mode()))
            .textChild("owner", p.owner() == -1 ? null : p.owner())
            .textChild("group", p.group() == -1 ? null : p.group()).textChild("label", p.label());
    }

    /** libvirt's virFileSanitizePath: repeated slashes collapse, a trailing slash goes, a leading "//" stays. */
    static String sanitizePath(String path) {
        if (path == null) {
            return null;
        }
        String prefix = path.startsWith("//") && !path.startsWith("///") ? "/" : "";
        String cleaned = prefix + path.replaceAll("/{2,}", "/");
        if (cleaned.length() > 1 && cleaned.endsWith("/")) {
            cleaned = cleaned.substring(0, cleaned.length() - 1);
        }
        return cleaned;
    }
}
