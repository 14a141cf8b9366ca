package org.jvirtd.net.core;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.network.Bandwidth;
import org.jvirtd.model.network.BandwidthXml;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads and writes libvirt's {@code <networkport>} XML with libvirt 9.0's checks and messages: uuid, owner
 * name and UUID and mac are required, in that order; a {@code <bandwidth>} follows the mac.
 */
final class NetworkPortXml {
    private static final Pattern MAC = Pattern.compile("(?i)[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}");
    private static final Pattern UUID_TEXT = Pattern.compile("(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}");

    private NetworkPortXml() {
    }

    static NetworkPort parse(String xml) {
        Element root = SafeXml.parseRoot(xml, "networkport", ErrorDomain.NETWORK, "networkport_definition");
        String uuid = text(child(root, "uuid"));
        if (uuid == null) {
            throw NetworkErrors.internal("network port has no uuid");
        }
        UUID portUuid = uuid(uuid);
        Element owner = child(root, "owner");
        String ownerName = owner == null ? null : text(child(owner, "name"));
        if (ownerName == null) {
            throw NetworkErrors.internal("network port has no owner name");
        }
        String ownerUuid = text(child(owner, "uuid"));
        if (ownerUuid == null) {
            throw NetworkErrors.internal("network port has no owner UUID");
        }
        UUID ownerId = uuid(ownerUuid);
        Element macElement = child(root, "mac");
        String mac = macElement == null || !macElement.hasAttribute("address") ? null
            : macElement.getAttribute("address");
        if (mac == null) {
            throw NetworkErrors.internal("network port has no mac");
        }
        Bandwidth bandwidth = BandwidthXml.parse(child(root, "bandwidth"));
        Element plug = child(root, "plug");
        String plugType = plug == null ? null : plug.getAttribute("type");
        String plugBridge = plug == null || !plug.hasAttribute("bridge") ? null : plug.getAttribute("bridge");
        return new NetworkPort(portUuid, ownerName, ownerId, mac(mac), bandwidth, plugType, plugBridge);
    }

    static String format(NetworkPort port) {
        StringBuilder out = new StringBuilder("<networkport>\n");
        out.append("  <uuid>").append(port.uuid()).append("</uuid>\n");
        out.append("  <owner>\n    <name>").append(escape(port.ownerName())).append("</name>\n");
        out.append("    <uuid>").append(port.ownerUuid()).append("</uuid>\n  </owner>\n");
        out.append("  <mac address='").append(port.mac()).append("'/>\n");
        out.append(BandwidthXml.format(port.bandwidth(), 2));
        if (port.plugType() != null) {
            out.append("  <plug type='").append(escape(port.plugType())).append('\'');
            if (port.plugBridge() != null) {
                out.append(" bridge='").append(escape(port.plugBridge())).append('\'');
            }
            out.append("/>\n");
        }
        return out.append("</networkport>\n").toString();
    }

    private static UUID uuid(String text) {
        if (!UUID_TEXT.matcher(text).matches()) {
            throw NetworkErrors.internal("Unable to parse UUID '" + text + "'");
        }
        String hex = text.replace("-", "");
        return UUID.fromString(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
            + hex.substring(16, 20) + "-" + hex.substring(20));
    }

    private static String mac(String text) {
        if (!MAC.matcher(text).matches()) {
            throw NetworkErrors.internal("Unable to parse MAC '" + text + "'");
        }
        StringBuilder out = new StringBuilder();
        for (String part : text.toLowerCase(Locale.ROOT).split(":")) {
            out.append(out.isEmpty() ? "" : ":").append(part.length() == 1 ? "0" + part : part);
        }
        return out.toString();
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName() != null ? e.getLocalName() : e.getTagName())) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element element) {
        if (element == null) {
            return null;
        }
        String text = element.getTextContent().trim();
        return text.isEmpty() ? null : text;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
    }

}
