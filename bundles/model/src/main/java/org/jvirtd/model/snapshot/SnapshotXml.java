package org.jvirtd.model.snapshot;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.Names;
import org.jvirtd.model.internal.XmlNode;
import org.jvirtd.model.internal.XmlTag;

/**
 * Parses and formats libvirt's {@code <domainsnapshot>} XML in libvirt 9.0's canonical form: name, description,
 * state, parent, creation time, memory, disks, then the saved {@code <domain>} and {@code <inactiveDomain>}; the
 * stored form adds {@code <active>1</active>} to the current snapshot, as libvirt's metadata files do.
 */
public final class SnapshotXml {
    private static final ErrorDomain D = ErrorDomain.DOMAIN;
    private static final List<String> MEMORY = List.of("no", "internal", "external", "manual");
    private static final List<String> DISK = List.of("no", "internal", "external", "manual");

    private SnapshotXml() {
    }

    /** A parsed document and the stored-form marker of the current snapshot. */
    public record Parsed(SnapshotDef def, boolean current) {
    }

    /** Parses what a client sends to create a snapshot; a missing name is the creation time, as libvirt names it. */
    public static SnapshotDef parseNew(String xml, long now) {
        Parsed parsed = parse(xml);
        SnapshotDef def = parsed.def();
        if (def.name() == null) {
            return new SnapshotDef(Long.toString(now), def.description(), def.state(), def.parent(),
                def.creationTime(), def.memory(), def.memoryFile(), def.disks(), def.domainXml(),
                def.inactiveDomainXml());
        }
        return def;
    }

    public static Parsed parse(String xml) {
        XmlNode root = XmlNode.parse(xml, D, "domainsnapshot");
        if (!root.is("domainsnapshot")) {
            throw Errors.xml(D, "expecting root element of 'domainsnapshot', not '" + root.name() + "'");
        }
        String name = blankToNull(root.childText("name"));
        if (name != null) {
            Names.checkIllegalChars(D, "name", name, "/");
        }
        String description = blankToNull(root.childText("description"));
        String state = blankToNull(root.childText("state"));
        XmlNode parentNode = root.child("parent");
        String parent = parentNode == null ? null : blankToNull(parentNode.childText("name"));
        long created = creationTime(root.childText("creationTime"));
        XmlNode memoryNode = root.child("memory");
        String memory = null;
        String memoryFile = null;
        if (memoryNode != null) {
            memory = blankToNull(memoryNode.attr("snapshot"));
            memoryFile = blankToNull(memoryNode.attr("file"));
            if (memory != null && !MEMORY.contains(memory)) {
                throw Errors.unsupported(D, "unknown memory snapshot setting '" + memory + "'");
            }
            if (memoryFile != null && memory == null) {
                memory = "external";
            }
            if (memoryFile != null && !"external".equals(memory)) {
                throw Errors.xml(D, "memory filename '" + memoryFile + "' requires external snapshot");
            }
            if (memoryFile != null && !memoryFile.startsWith("/")) {
                throw Errors.xml(D, "memory snapshot file path (" + memoryFile + ") must be absolute");
            }
        }
        List<SnapshotDisk> disks = new ArrayList<>();
        XmlNode disksNode = root.child("disks");
        if (disksNode != null) {
            for (XmlNode disk : disksNode.children("disk")) {
                disks.add(disk(disk));
            }
        }
        XmlNode domain = root.child("domain");
        XmlNode inactive = root.child("inactiveDomain");
        boolean current = "1".equals(blankToNull(root.childText("active")));
        return new Parsed(new SnapshotDef(name, description, state, parent, created, memory, memoryFile, disks,
            domain == null ? null : domain.toTag().toString(),
            inactive == null ? null : renamed(inactive, "domain")), current);
    }

    private static SnapshotDisk disk(XmlNode disk) {
        String name = blankToNull(disk.attr("name"));
        if (name == null) {
            throw Errors.xml(D, "missing name from disk snapshot element");
        }
        String snapshot = blankToNull(disk.attr("snapshot"));
        if (snapshot != null && !DISK.contains(snapshot)) {
            throw Errors.unsupported(D, "unknown disk snapshot setting '" + snapshot + "'");
        }
        String type = blankToNull(disk.attr("type"));
        XmlNode source = disk.child("source");
        String file = source == null ? null : blankToNull(source.attr("file"));
        XmlNode driver = disk.child("driver");
        String format = driver == null ? null : blankToNull(driver.attr("type"));
        if (snapshot == null && (file != null || format != null)) {
            snapshot = "external";
        }
        if (type != null && !"file".equals(type) && !"block".equals(type)) {
            throw Errors.unsupported(D, "unknown disk snapshot type '" + type + "'");
        }
        return new SnapshotDisk(name, snapshot, type, file, format);
    }

    private static long creationTime(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw Errors.xml(D, "invalid creationTime in snapshot XML");
        }
    }

    private static String renamed(XmlNode node, String name) {
        XmlNode copy = node.deepCopy();
        copy.rename(name);
        return copy.toTag().toString();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** The document virDomainSnapshotGetXMLDesc returns. */
    public static String format(SnapshotDef def) {
        return tag(def).toString();
    }

    /** The metadata file's form: the public document plus the current-snapshot marker. */
    public static String formatStored(SnapshotDef def, boolean current) {
        XmlTag tag = tag(def);
        if (current) {
            tag.textChild("active", "1");
        }
        return tag.toString();
    }

    private static XmlTag tag(SnapshotDef def) {
        XmlTag root = XmlTag.of("domainsnapshot").textChild("name", def.name())
            .textChild("description", def.description()).textChild("state", def.state());
        if (def.parent() != null) {
            root.child(XmlTag.of("parent").textChild("name", def.parent()));
        }
        root.textChild("creationTime", def.creationTime());
        if (def.memory() != null) {
            root.child(XmlTag.of("memory").attr("snapshot", def.memory()).attr("file", def.memoryFile()));
        }
        if (!def.disks().isEmpty()) {
            XmlTag disks = XmlTag.of("disks");
            for (SnapshotDisk disk : def.disks()) {
                XmlTag d = XmlTag.of("disk").attr("name", disk.name()).attr("snapshot", disk.snapshot());
                if (disk.isExternal()) {
                    d.attr("type", disk.type() == null ? "file" : disk.type());
                    if (disk.driverType() != null) {
                        d.child(XmlTag.of("driver").attr("type", disk.driverType()));
                    }
                    if (disk.file() != null) {
                        d.child(XmlTag.of("source").attr("block".equals(disk.type()) ? "dev" : "file", disk.file()));
                    }
                }
                disks.child(d);
            }
            root.child(disks);
        }
        if (def.domainXml() != null) {
            root.raw(def.domainXml());
        }
        if (def.inactiveDomainXml() != null) {
            root.raw(def.inactiveDomainXml().replaceFirst("^<domain", "<inactiveDomain")
                .replaceFirst("</domain>\\s*$", "</inactiveDomain>\n"));
        }
        return root;
    }
}
