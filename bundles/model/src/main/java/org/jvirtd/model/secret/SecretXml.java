package org.jvirtd.model.secret;

import java.util.UUID;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.secret.SecretUsageType;
import org.jvirtd.model.internal.Dom;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.Uuids;
import org.jvirtd.model.internal.XmlTag;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Parses and formats libvirt's secret XML as libvirt 9.0 does (virSecretDefParse/virSecretDefFormat): values
 * are read like XPath string(), so an empty attribute or element counts as absent; a missing UUID is
 * generated; the usage element names the id by type (volume, name or target).
 */
public final class SecretXml {
    /** The label libvirt gives the document in parser messages. */
    static final String LABEL = "definition_of_secret";

    private SecretXml() {
    }

    public static SecretDef parse(String xml) {
        return parse(xml, false);
    }

    /** Parses a document, first checking it against libvirt's secret schema when {@code validate} is set. */
    public static SecretDef parse(String xml, boolean validate) {
        Document doc = SafeXml.parse(xml, ErrorDomain.SECRET, LABEL);
        Element root = doc.getDocumentElement();
        if (!"secret".equals(root.getLocalName()) || root.getNamespaceURI() != null) {
            throw Errors.xml(ErrorDomain.XML, "expecting root element of 'secret', not '" + root.getNodeName() + "'");
        }
        if (validate) {
            SecretSchema.check(root);
        }
        boolean ephemeral = flag(root, "ephemeral");
        boolean isPrivate = flag(root, "private");
        String uuidText = value(Dom.text(root, "uuid"));
        UUID uuid = Uuids.parseOrGenerate(ErrorDomain.SECRET, uuidText);
        String description = value(Dom.text(root, "description"));
        Element usage = Dom.child(root, "usage");
        SecretUsageType type = SecretUsageType.NONE;
        String usageId = null;
        if (usage != null) {
            type = usageType(value(Dom.attr(usage, "type")));
            usageId = usageId(usage, type);
        }
        return new SecretDef(uuid, ephemeral, isPrivate, description, type, usageId);
    }

    private static boolean flag(Element root, String attribute) {
        String text = value(Dom.attr(root, attribute));
        if (text == null) {
            return false;
        }
        return switch (text) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw Errors.xml(ErrorDomain.SECRET, "invalid value of '" + attribute + "'");
        };
    }

    private static SecretUsageType usageType(String text) {
        if (text == null) {
            throw Errors.xml(ErrorDomain.SECRET, "unknown secret usage type");
        }
        SecretUsageType type = SecretUsageType.fromXml(text);
        if (type == null) {
            throw Errors.unsupported(ErrorDomain.SECRET, "unknown secret usage type " + text);
        }
        return type;
    }

    private static String usageId(Element usage, SecretUsageType type) {
        if (type == SecretUsageType.NONE) {
            return null;
        }
        String id = value(Dom.text(usage, idElement(type)));
        if (id == null) {
            throw Errors.internal(ErrorDomain.SECRET, switch (type) {
                case VOLUME -> "volume usage specified, but volume path is missing";
                case CEPH -> "Ceph usage specified, but name is missing";
                case ISCSI -> "iSCSI usage specified, but target is missing";
                case TLS -> "TLS usage specified, but name is missing";
                default -> "vTPM usage specified, but name is missing";
            });
        }
        return id;
    }

    /** The element under {@code <usage>} that holds the id of a usage type. */
    static String idElement(SecretUsageType type) {
        return switch (type) {
            case VOLUME -> "volume";
            case ISCSI -> "target";
            default -> "name";
        };
    }

    /** XPath string() semantics of libvirt's virXPathString: an empty result is no result. */
    private static String value(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    public static String format(SecretDef def) {
        XmlTag secret = XmlTag.of("secret").attr("ephemeral", def.ephemeral() ? "yes" : "no")
            .attr("private", def.isPrivate() ? "yes" : "no")
            .textChild("uuid", def.uuid())
            .textChild("description", def.description());
        if (def.usageType() != SecretUsageType.NONE) {
            secret.child(XmlTag.of("usage").attr("type", def.usageType().xmlName())
                .textChild(idElement(def.usageType()), def.usageId()));
        }
        return secret.toString();
    }
}
