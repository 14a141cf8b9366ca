package org.jvirtd.model.domain;

import java.util.List;
import java.util.Map;

import org.jvirtd.model.internal.XmlNode;

/**
 * Edits a domain document in place, keeping every attribute in document order, for drivers that fill in
 * what a run decides (graphics ports and listens, device aliases); devices are named by element and index.
 */
public final class DomainEditor {
    private final XmlNode root;

    private DomainEditor(XmlNode root) {
        this.root = root;
    }

    public static DomainEditor of(String xml) {
        return new DomainEditor(DomainXml.parse(xml).document());
    }

    /** How many {@code <element>} devices there are. */
    public int count(String element) {
        return devices(element).size();
    }

    /** An attribute of a device, or of its first {@code child} when that is not null; null when absent. */
    public String attr(String element, int index, String child, String attribute) {
        XmlNode device = devices(element).get(index);
        XmlNode node = child == null ? device : device.child(child);
        return node == null ? null : node.attr(attribute);
    }

    /** Sets an attribute of a device; null removes it. */
    public void setAttr(String element, int index, String attribute, String value) {
        devices(element).get(index).set(attribute, value);
    }

    /** Replaces the device's first {@code <child>}, or puts one first, with these attributes in this order. */
    public void setFirstChild(String element, int index, String child, Map<String, String> attributes) {
        XmlNode device = devices(element).get(index);
        XmlNode node = new XmlNode(child, null);
        attributes.forEach(node::set);
        List<XmlNode> children = device.children();
        XmlNode old = device.child(child);
        if (old == null) {
            device.insert(0, node);
        } else {
            device.insert(children.indexOf(old), node);
            device.removeIf(c -> c == old);
        }
    }

    /** Gives a device an alias, placed before its address as libvirt writes it, unless it has one. */
    public void addAlias(String element, int index, String name) {
        XmlNode device = devices(element).get(index);
        if (device.child("alias") != null) {
            return;
        }
        XmlNode alias = new XmlNode("alias", null).set("name", name);
        XmlNode address = device.child("address");
        device.insert(address == null ? device.children().size() : device.children().indexOf(address), alias);
    }

    /** Whether the definition has an {@code <os><type>} element. */
    public boolean hasOsType() {
        XmlNode os = root.child("os");
        return os != null && os.child("type") != null;
    }

    /** An attribute of {@code <os><type>} (arch, machine); null when absent. */
    public String osTypeAttr(String attribute) {
        XmlNode os = root.child("os");
        XmlNode type = os == null ? null : os.child("type");
        return type == null ? null : type.attr(attribute);
    }

    /** Sets an attribute of {@code <os><type>}, which must exist ({@link #hasOsType()}). */
    public void setOsTypeAttr(String attribute, String value) {
        root.child("os").child("type").set(attribute, value);
    }

    /** The edited document in canonical form, with {@link DomainXml#format}'s id and flags. */
    public String format(int id, int flags) {
        root.set("id", id >= 0 ? Integer.toString(id) : null);
        return DomainXml.format(DomainXml.parse(root.toTag().toString()), id, flags);
    }

    private List<XmlNode> devices(String element) {
        XmlNode devices = root.child("devices");
        return devices == null ? List.of() : devices.children(element);
    }
}
