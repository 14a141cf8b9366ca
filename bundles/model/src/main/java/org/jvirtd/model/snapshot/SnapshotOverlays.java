package org.jvirtd.model.snapshot;

import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.XmlNode;

/**
 * Points a domain definition's disks at the overlays an external snapshot created: each external snapshot disk's
 * guest disk (named by target) gets the new file as source and the overlay's format, as libvirt rewrites the
 * definition after a disk-only snapshot.
 */
public final class SnapshotOverlays {
    private SnapshotOverlays() {
    }

    public static String apply(String domainXml, List<SnapshotDisk> disks) {
        XmlNode root = XmlNode.parse(domainXml, ErrorDomain.DOMAIN, "domain_definition");
        XmlNode devices = root.child("devices");
        if (devices == null) {
            return domainXml;
        }
        for (SnapshotDisk disk : disks) {
            if (!disk.isExternal()) {
                continue;
            }
            for (XmlNode node : devices.children("disk")) {
                XmlNode target = node.child("target");
                if (target == null || !disk.name().equals(target.attr("dev"))) {
                    continue;
                }
                node.set("type", disk.type() == null ? "file" : disk.type());
                XmlNode source = node.child("source");
                if (source == null) {
                    source = new XmlNode("source", null);
                    node.insert(node.children().indexOf(node.child("driver")) + 1, source);
                }
                source.attributes().clear();
                source.set("block".equals(disk.type()) ? "dev" : "file", disk.file());
                XmlNode driver = node.child("driver");
                if (driver != null && disk.driverType() != null) {
                    driver.set("type", disk.driverType());
                }
                node.removeIf(c -> c.is("backingStore"));
            }
        }
        return root.toTag().toString();
    }
}
