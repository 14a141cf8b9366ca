package org.jvirtd.shell;

import java.util.List;
import java.util.Objects;

/**
 * Draws devices as the tree virsh's {@code nodedev-list --tree} prints: each root, its children below it
 * with "+- ", a "|" line before a device's first child, "|" continuing while a parent has later children, and
 * a line of indentation after the last child of each level.
 */
final class DeviceTree {
    /** A device and its parent's name (null for a root). */
    record Node(String name, String parent) {
    }

    private final List<Node> nodes;
    private final StringBuilder out = new StringBuilder();

    private DeviceTree(List<Node> nodes) {
        this.nodes = nodes;
    }

    /** The tree of these devices, in their order; ends with the blank line virsh ends its listings with. */
    static String render(List<Node> nodes) {
        DeviceTree tree = new DeviceTree(nodes);
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).parent() == null) {
                tree.draw(i, i, true, new StringBuilder());
            }
        }
        return tree.out.append('\n').toString();
    }

    private void draw(int device, int lastSibling, boolean root, StringBuilder indent) {
        String name = nodes.get(device).name();
        out.append(indent).append(root ? "" : "+- ").append(name).append('\n');
        if (!root) {
            indent.append(device == lastSibling ? ' ' : '|').append(' ');
        }
        int lastChild = -1;
        for (int i = 0; i < nodes.size(); i++) {
            if (Objects.equals(nodes.get(i).parent(), name)) {
                lastChild = i;
            }
        }
        if (lastChild != -1) {
            out.append(indent).append("  |\n");
        }
        indent.append("  ");
        for (int i = 0; i < nodes.size(); i++) {
            if (Objects.equals(nodes.get(i).parent(), name)) {
                draw(i, lastChild, false, indent);
            }
        }
        indent.setLength(indent.length() - 2);
        if (lastChild == -1 && device == lastSibling) {
            out.append(indent).append('\n');
        }
        if (!root) {
            indent.setLength(indent.length() - 2);
        }
    }
}
