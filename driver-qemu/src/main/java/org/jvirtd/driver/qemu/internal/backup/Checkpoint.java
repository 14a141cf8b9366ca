package org.jvirtd.driver.qemu.internal.backup;

import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A domain checkpoint as libvirt 9.0 writes it ({@code <domaincheckpoint>}): name, description, parent,
 * creation time, each disk's bitmap, and the domain definition at that time; with its parse and its format.
 */
public record Checkpoint(String name, String description, String parent, long creationTime, List<Disk> disks,
                         String domainXml) {
    /** A disk's part: {@code checkpoint='bitmap'} with the bitmap's name, or {@code 'no'}. */
    public record Disk(String name, String checkpoint, String bitmap) {
        boolean hasBitmap() {
            return "bitmap".equals(checkpoint);
        }
    }

    public Checkpoint withParent(String newParent) {
        return new Checkpoint(name, description, newParent, creationTime, disks, domainXml);
    }

    /** The {@code <domaincheckpoint>} document, with the domain definition unless {@code withDomain} is false. */
    public String format(boolean withDomain) {
        StringBuilder out = new StringBuilder("<domaincheckpoint>\n  <name>").append(escape(name)).append("</name>\n");
        if (description != null) {
            out.append("  <description>").append(escape(description)).append("</description>\n");
        }
        if (parent != null) {
            out.append("  <parent>\n    <name>").append(escape(parent)).append("</name>\n  </parent>\n");
        }
        out.append("  <creationTime>").append(creationTime).append("</creationTime>\n  <disks>\n");
        for (Disk d : disks) {
            out.append("    <disk name='").append(escape(d.name())).append("' checkpoint='").append(d.checkpoint())
                .append('\'');
            if (d.hasBitmap()) {
                out.append(" bitmap='").append(escape(d.bitmap())).append('\'');
            }
            out.append("/>\n");
        }
        out.append("  </disks>\n");
        if (withDomain && domainXml != null) {
            for (String line : domainXml.strip().split("\n")) {
                out.append("  ").append(line).append('\n');
            }
        }
        return out.append("</domaincheckpoint>\n").toString();
    }

    /** Reads a checkpoint document; what it leaves out stays null (or empty), for the caller's defaults. */
    public static Checkpoint parse(String xml) {
        Element root;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            root = factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(
                xml.getBytes(java.nio.charset.StandardCharsets.UTF_8))).getDocumentElement();
        } catch (Exception e) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, "(domain_checkpoint): "
                + e.getMessage());
        }
        if (!"domaincheckpoint".equals(root.getTagName())) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN,
                "unexpected root element <" + root.getTagName() + ">, expecting <domaincheckpoint>");
        }
        Element parentElement = child(root, "parent");
        String created = text(child(root, "creationTime"));
        List<Disk> disks = new ArrayList<>();
        Element list = child(root, "disks");
        if (list != null) {
            for (Node n = list.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && "disk".equals(e.getTagName())) {
                    String kind = e.getAttribute("checkpoint").isEmpty() ? "bitmap" : e.getAttribute("checkpoint");
                    disks.add(new Disk(e.getAttribute("name"), kind,
                        e.getAttribute("bitmap").isEmpty() ? null : e.getAttribute("bitmap")));
                }
            }
        }
        Element domain = child(root, "domain");
        return new Checkpoint(text(child(root, "name")), text(child(root, "description")),
            parentElement == null ? null : text(child(parentElement, "name")),
            created == null ? 0 : Long.parseLong(created.trim()), disks, domain == null ? null : domainText(xml));
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getTagName())) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent();
    }

    /** The embedded domain definition as written, its lines taken back out of the checkpoint's indentation. */
    private static String domainText(String xml) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<domain[\\s>]").matcher(xml);
        if (!m.find()) {
            return null;
        }
        String text = xml.substring(m.start(), xml.lastIndexOf("</domain>") + "</domain>".length());
        return text.lines().map(l -> l.startsWith("  ") ? l.substring(2) : l)
            .collect(java.util.stream.Collectors.joining("\n")) + "\n";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;");
    }
}
