package org.jvirtd.model.domain.qemu;

import java.util.List;

import org.jvirtd.model.internal.XmlNode;

/**
 * Small element-tree edits the post-parse steps share: placing a new child among libvirt's ordered children.
 */
final class Nodes {
    private Nodes() {
    }

    /** Inserts {@code child} after the last existing child named in {@code before}, or first if there is none. */
    static XmlNode insertAfter(XmlNode parent, XmlNode child, List<String> before) {
        int at = 0;
        List<XmlNode> children = parent.children();
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i).namespace() == null && before.contains(children.get(i).name())) {
                at = i + 1;
            }
        }
        parent.insert(at, child);
        return child;
    }

    /** The child with this name, created after the children named in {@code before} when missing. */
    static XmlNode childOrNew(XmlNode parent, String name, List<String> before) {
        XmlNode existing = parent.child(name);
        return existing != null ? existing : insertAfter(parent, new XmlNode(name, null), before);
    }

    static XmlNode element(String name, String... attributes) {
        XmlNode node = new XmlNode(name, null);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            node.set(attributes[i], attributes[i + 1]);
        }
        return node;
    }
}
