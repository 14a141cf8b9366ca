package org.jvirtd.model.domain.qemu;

import java.util.List;

import org.jvirtd.model.internal.XmlNode;

/**
 * The host's security model (jvirtd's QEMU driver has one: "none") given to a domain's only seclabel that names
 * none, as libvirt does for definitions older than per-model seclabels: a type='none' label always, a dynamic one
 * without a base label when the definition is parsed offline; an offline label of model none is of type none and
 * does not relabel.
 */
final class SeclabelDefaults {
    private static final String HOST_MODEL = "none";

    private SeclabelDefaults() {
    }

    static void apply(Guest guest, boolean offline) {
        List<XmlNode> labels = guest.root.children("seclabel");
        if (labels.size() != 1 || labels.get(0).has("model")) {
            return;
        }
        XmlNode label = labels.get(0);
        String type = label.attr("type") == null ? "dynamic" : label.attr("type");
        boolean dynamicOffline = type.equals("dynamic") && label.child("baselabel") == null && offline;
        if (!type.equals("none") && !dynamicOffline) {
            return;
        }
        label.set("model", HOST_MODEL);
        if (offline) {
            label.set("type", "none");
            label.set("relabel", null);
            label.removeIf(c -> c.namespace() == null);
        }
        label.orderAttributes(List.of("type", "model", "relabel"));
    }
}
