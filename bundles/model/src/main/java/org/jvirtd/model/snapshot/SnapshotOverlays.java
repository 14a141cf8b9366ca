package org.jvirtd.model.snapshot;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.XmlNode;

/**
 * Points a domain definition's disks at the overlays an external snapshot created: each external snapshot disk's
 * guest disk (named by target) gets the new file as source and the overlay's format, as libvirt rewrites the
 * definition after a disk-only snapshot; and back to the images below once an external snapshot is deleted and
 * its overlays merged into them.
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

    /** An external snapshot's overlay of one disk, merged into the image below it when the snapshot is deleted. */
    public record Merged(String target, String overlay, String base, String baseFormat) {
    }

    /**
     * The merges deleting an external snapshot makes: each external disk's overlay goes into the image the disk
     * had when the snapshot was taken (its source in the snapshot's saved definition).
     */
    public static List<Merged> merged(SnapshotDef snapshot) {
        List<Merged> out = new ArrayList<>();
        if (snapshot.domainXml() == null) {
            return out;
        }
        XmlNode devices = XmlNode.parse(snapshot.domainXml(), ErrorDomain.DOMAIN, "domain_definition")
            .child("devices");
        for (SnapshotDisk disk : snapshot.disks()) {
            if (!disk.isExternal() || devices == null) {
                continue;
            }
            for (XmlNode node : devices.children("disk")) {
                XmlNode target = node.child("target");
                XmlNode source = node.child("source");
                if (target != null && disk.name().equals(target.attr("dev")) && source != null) {
                    String base = source.attr("file") != null ? source.attr("file") : source.attr("dev");
                    XmlNode driver = node.child("driver");
                    out.add(new Merged(disk.name(), disk.file(), base, driver == null ? null : driver.attr("type")));
                }
            }
        }
        return out;
    }

    /** The definition with each disk that named a merged overlay naming the image below it again. */
    public static String replace(String domainXml, List<Merged> merges) {
        XmlNode root = XmlNode.parse(domainXml, ErrorDomain.DOMAIN, "domain_definition");
        XmlNode devices = root.child("devices");
        if (devices == null || merges.isEmpty()) {
            return domainXml;
        }
        boolean changed = false;
        for (Merged m : merges) {
            for (XmlNode node : devices.children("disk")) {
                XmlNode target = node.child("target");
                XmlNode source = node.child("source");
                if (target == null || source == null || !m.target().equals(target.attr("dev"))
                    || !m.overlay().equals(source.attr("file")) && !m.overlay().equals(source.attr("dev"))) {
                    continue;
                }
                source.set(source.attr("file") != null ? "file" : "dev", m.base());
                XmlNode driver = node.child("driver");
                if (driver != null && m.baseFormat() != null) {
                    driver.set("type", m.baseFormat());
                }
                node.removeIf(c -> c.is("backingStore"));
                changed = true;
            }
        }
        return changed ? root.toTag().toString() : domainXml;
    }
}
