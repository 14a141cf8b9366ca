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

    /**
     * Replaces the device's {@code <child>} elements by the element written in {@code fragment} (removes them
     * when it is null), placed where the old one was, or else before the first {@code <before>} child, or last.
     */
    public void replaceChild(String element, int index, String child, String fragment, String before) {
        XmlNode device = devices(element).get(index);
        List<XmlNode> children = device.children();
        XmlNode old = device.child(child);
        XmlNode anchor = device.child(before);
        int at = old != null ? children.indexOf(old) : anchor != null ? children.indexOf(anchor) : children.size();
        device.removeIf(c -> child.equals(c.name()));
        if (fragment != null) {
            device.insert(at, XmlNode.parse(fragment, org.jvirtd.api.ErrorDomain.DOMAIN, "device"));
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

    /** {@code <os firmware=...>}: efi, bios or null. */
    public String osFirmware() {
        XmlNode os = root.child("os");
        return os == null ? null : os.attr("firmware");
    }

    /** Whether {@code <os>} names a loader. */
    public boolean hasLoader() {
        XmlNode os = root.child("os");
        return os != null && os.child("loader") != null;
    }

    /** The firmware features asked for in {@code <os><firmware>}: name to enabled. */
    public Map<String, Boolean> firmwareFeatures() {
        Map<String, Boolean> result = new java.util.LinkedHashMap<>();
        XmlNode os = root.child("os");
        XmlNode firmware = os == null ? null : os.child("firmware");
        if (firmware != null) {
            firmware.children("feature").forEach(f -> result.put(f.attr("name"), "yes".equals(f.attr("enabled"))));
        }
        return result;
    }

    /** The state attribute of a hypervisor feature ({@code <features><smm state='off'/>}), null when absent. */
    public String featureState(String feature) {
        XmlNode features = root.child("features");
        XmlNode node = features == null ? null : features.child(feature);
        return node == null ? null : node.attr("state");
    }

    /**
     * Writes a chosen firmware as libvirt does when it fills in {@code <os firmware='efi'>} at start: the
     * firmware attribute goes, a pflash loader (secure='yes' for secure boot) and the NVRAM with its template
     * follow {@code <type>} and {@code <firmware>}, and firmware that needs SMM gets {@code <smm state='on'/>}.
     */
    public void useFirmware(String loader, boolean secure, String nvram, String nvramTemplate, boolean smm) {
        XmlNode os = root.child("os");
        os.set("firmware", null);
        XmlNode loaderNode = new XmlNode("loader", null).set("readonly", "yes").set("secure", secure ? "yes" : null)
            .set("type", "pflash");
        loaderNode.setText(loader);
        XmlNode nvramNode = new XmlNode("nvram", null).set("template", nvramTemplate);
        nvramNode.setText(nvram);
        XmlNode after = os.child("firmware") != null ? os.child("firmware") : os.child("type");
        int at = os.children().indexOf(after) + 1;
        os.insert(at, loaderNode);
        os.insert(at + 1, nvramNode);
        if (smm) {
            XmlNode features = root.child("features");
            if (features == null) {
                features = new XmlNode("features", null);
                root.insert(root.children().indexOf(os) + 1, features);
            }
            features.removeIf(f -> f.is("smm"));
            features.children().add(new XmlNode("smm", null).set("state", "on"));
        }
    }

    /** Removes a device's {@code <child>} elements. */
    public void removeChildren(String element, int index, String child) {
        devices(element).get(index).removeIf(c -> child.equals(c.name()));
    }

    /** Sets {@code <memory>} or {@code <currentMemory>} to a size in KiB. */
    public void setMemoryKiB(String element, long kib) {
        DomainCanonicalizer.setMemory(root, element, kib);
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
