package org.jvirtd.model.secret;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.secret.SecretUsageType;
import org.jvirtd.model.internal.Dom;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;

/**
 * What libvirt's secret.rng admits (virsh secret-define --validate), with the lines libxml2's RelaxNG
 * validator prints for the three ways a secret fails it: an unknown attribute or value on {@code <secret>},
 * an unknown child, and a known child (uuid, description, usage) that is repeated or does not match.
 */
final class SecretSchema {
    private static final String SCHEMA = "/usr/share/libvirt/schemas/secret.rng";
    private static final Pattern UUID = Pattern.compile(
        "[a-fA-F0-9]{32}|[a-fA-F0-9]{8}-([a-fA-F0-9]{4}-){3}[a-fA-F0-9]{12}");
    /** basictypes.rng's absFilePath (a volume's path) and objectName (ceph, iSCSI, TLS and vTPM names). */
    private static final Pattern ABS_FILE_PATH = Pattern.compile("(/|[a-zA-Z]:\\\\).+");
    private static final Pattern OBJECT_NAME = Pattern.compile("[^/\n]+");
    private static final Set<String> YES_NO = Set.of("yes", "no");

    private SecretSchema() {
    }

    static void check(Element secret) {
        NamedNodeMap attributes = secret.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr attr = (Attr) attributes.item(i);
            String name = attr.getName();
            if (!(name.equals("ephemeral") || name.equals("private")) || !YES_NO.contains(attr.getValue())) {
                throw invalid("Invalid attribute " + name + " for element secret");
            }
        }
        Set<String> seen = new HashSet<>();
        for (Element child : Dom.elements(secret)) {
            String name = child.getLocalName();
            if (!List.of("uuid", "description", "usage").contains(name)) {
                throw invalid("Element secret has extra content: " + name);
            }
            if (!seen.add(name) || !matches(child)) {
                throw invalid("Extra element " + name + " in interleave\nElement secret failed to validate content");
            }
        }
    }

    private static boolean matches(Element child) {
        return switch (child.getLocalName()) {
            case "uuid" -> Dom.elements(child).isEmpty() && UUID.matcher(child.getTextContent()).matches();
            case "description" -> Dom.elements(child).isEmpty();
            default -> usageMatches(child);
        };
    }

    private static boolean usageMatches(Element usage) {
        if (usage.getAttributes().getLength() != 1) {
            return false;
        }
        SecretUsageType type = SecretUsageType.fromXml(usage.getAttribute("type"));
        if (type == null || type == SecretUsageType.NONE) {
            return false;
        }
        List<Element> ids = Dom.elements(usage);
        if (ids.size() != 1 || !ids.get(0).getLocalName().equals(SecretXml.idElement(type))
            || !Dom.elements(ids.get(0)).isEmpty()) {
            return false;
        }
        Pattern id = type == SecretUsageType.VOLUME ? ABS_FILE_PATH : OBJECT_NAME;
        return id.matcher(ids.get(0).getTextContent()).matches();
    }

    private static VirtException invalid(String lines) {
        return new VirtException(ErrorCode.XML_INVALID_SCHEMA, ErrorDomain.SECRET,
            "Unable to validate doc against " + SCHEMA + "\n" + lines + "\n");
    }
}
