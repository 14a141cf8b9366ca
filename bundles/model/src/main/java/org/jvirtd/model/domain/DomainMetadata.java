package org.jvirtd.model.domain;

import java.util.regex.Pattern;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlNode;

/**
 * A definition's title, description and namespaced {@code <metadata>} elements, read and replaced as
 * virDomainGetMetadata and virDomainSetMetadata do (types VIR_DOMAIN_METADATA_DESCRIPTION 0, TITLE 1,
 * ELEMENT 2).
 */
public final class DomainMetadata {
    public static final int DESCRIPTION = 0;
    public static final int TITLE = 1;
    public static final int ELEMENT = 2;

    private static final ErrorDomain D = ErrorDomain.DOMAIN;
    /** An XML NCName as libxml2's xmlValidateNCName accepts it (ASCII subset). */
    private static final Pattern NC_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9._-]*");

    private DomainMetadata() {
    }

    /** The value of this type in a definition, or null when it has none. */
    public static String get(DomainDef def, int type, String uri) {
        XmlNode root = def.document();
        return switch (type) {
            case DESCRIPTION, TITLE -> {
                XmlNode node = root.child(type == TITLE ? "title" : "description");
                yield node == null || node.text() == null || node.text().isEmpty() ? null : node.text();
            }
            case ELEMENT -> {
                XmlNode metadata = root.child("metadata");
                XmlNode element = metadata == null ? null : find(metadata, uri);
                yield element == null ? null : withoutNamespace(element).dumpForeign();
            }
            default -> throw Errors.invalidArg(D, "unknown metadata type '" + type + "'");
        };
    }

    /**
     * The definition with the value of this type replaced; a null or empty value removes it. For ELEMENT the
     * value is one XML element, stored in namespace {@code uri} under prefix {@code key}.
     */
    public static DomainDef set(DomainDef def, int type, String value, String key, String uri) {
        XmlNode root = def.document();
        boolean remove = value == null || value.isEmpty();
        switch (type) {
            case DESCRIPTION, TITLE -> {
                String name = type == TITLE ? "title" : "description";
                root.removeIf(c -> c.is(name));
                if (!remove) {
                    root.children().add(DomainCanonicalizer.textNode(name, value));
                }
            }
            case ELEMENT -> {
                XmlNode element = remove ? null : inNamespace(XmlNode.parse(value, D, "metadata_xml"), key, uri, true);
                XmlNode metadata = root.child("metadata");
                if (metadata == null) {
                    if (remove) {
                        break;
                    }
                    metadata = new XmlNode("metadata", null);
                    root.children().add(metadata);
                }
                metadata.removeIf(c -> uri.equals(c.namespace()));
                if (element != null) {
                    metadata.children().add(element);
                }
            }
            default -> throw Errors.invalidArg(D, "unknown metadata type '" + type + "'");
        }
        return DomainXml.parse(root.toTag().toString());
    }

    private static XmlNode find(XmlNode metadata, String uri) {
        return metadata.children().stream().filter(c -> uri.equals(c.namespace())).findFirst().orElse(null);
    }

    /** The element and its descendants put in namespace {@code uri} with prefix {@code key}, declared on top. */
    private static XmlNode inNamespace(XmlNode node, String key, String uri, boolean top) {
        if (top && !NC_NAME.matcher(key).matches()) {
            throw Errors.internal(D, "failed to validate prefix for a new XML namespace");
        }
        XmlNode copy = new XmlNode(key + ":" + localName(node.name()), uri);
        if (top) {
            copy.set("xmlns:" + key, uri);
        }
        node.attributes().forEach((name, value) -> {
            if (!name.equals("xmlns") && !name.equals("xmlns:" + key)) {
                copy.set(name, value);
            }
        });
        copy.setText(node.text());
        node.children().forEach(c -> copy.children().add(inNamespace(c, key, uri, false)));
        return copy;
    }

    /** The element as virDomainGetMetadata returns it: its namespace prefix and declaration left out. */
    private static XmlNode withoutNamespace(XmlNode node) {
        XmlNode copy = new XmlNode(localName(node.name()), null);
        String prefix = node.name().contains(":") ? node.name().substring(0, node.name().indexOf(':')) : null;
        node.attributes().forEach((name, value) -> {
            if (!name.equals("xmlns") && !(prefix != null && name.equals("xmlns:" + prefix))) {
                copy.set(name, value);
            }
        });
        copy.setText(node.text());
        node.children().forEach(c -> copy.children().add(withoutNamespace(c)));
        return copy;
    }

    private static String localName(String qname) {
        int colon = qname.indexOf(':');
        return colon < 0 ? qname : qname.substring(colon + 1);
    }
}
