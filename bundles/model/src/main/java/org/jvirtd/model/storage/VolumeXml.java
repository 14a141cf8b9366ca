package org.jvirtd.model.storage;

import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Dom;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.Names;
import org.jvirtd.model.internal.ScaledInteger;
import org.jvirtd.model.internal.XmlTag;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Element;

/**
 * Parses and formats libvirt storage volume XML ({@code <volume>}) in the context of the pool holding it.
 */
public final class VolumeXml {
    /** Parse flag VIR_VOL_XML_PARSE_NO_CAPACITY: the document may leave out {@code <capacity>}. */
    public static final int NO_CAPACITY = 1;
    /** Parse flag VIR_VOL_XML_PARSE_OPT_CAPACITY: capacity is optional (a volume created from another). */
    public static final int OPT_CAPACITY = 2;

    private static final ErrorDomain D = ErrorDomain.STORAGE;
    private static final List<String> TYPES = List.of("file", "block", "dir", "network", "netdir", "ploop");
    private static final List<String> FILE_FORMATS = List.of("none", "raw", "dir", "bochs", "cloop", "dmg", "iso",
        "vpc", "vdi", "fat", "vhd", "ploop", "cow", "qcow", "qcow2", "qed", "vmdk");
    private static final List<String> PARTITION_FORMATS = List.of("none", "linux", "fat16", "fat32", "linux-swap",
        "linux-lvm", "linux-raid", "extended");

    private VolumeXml() {
    }

    public static VolumeDef parse(PoolDef pool, String xml) {
        return parse(pool, xml, 0);
    }

    public static VolumeDef parse(PoolDef pool, String xml, int flags) {
        Element root = SafeXml.parseRoot(xml, "volume", D, "volume_definition");
        String name = Names.require(D, Dom.text(root, "name"), "missing volume name element");
        String type = Dom.attr(root, "type");
        if (type == null) {
            type = pool.type().volumeType();
        } else if (!TYPES.contains(type)) {
            throw Errors.xml(D, "unknown volume type '" + type + "'");
        }
        String capacityText = Dom.text(root, "capacity");
        long capacity = 0;
        if (capacityText != null) {
            capacity = size("./capacity", capacityText, Dom.childAttr(root, "capacity", "unit"));
        } else if ((flags & (NO_CAPACITY | OPT_CAPACITY)) == 0) {
            throw Errors.xml(D, "missing capacity element");
        }
        String allocationText = Dom.text(root, "allocation");
        long allocation = allocationText == null ? capacity
            : size("./allocation", allocationText, Dom.childAttr(root, "allocation", "unit"));
        List<String> formats = formats(pool.type());
        Element target = Dom.child(root, "target");
        Element features = Dom.child(target, "features");
        String compat = Dom.trimmedText(target, "compat");
        if (compat != null && !compat.matches("\\d+\\.\\d+")) {
            throw Errors.xml(D, "forbidden characters in 'compat' attribute");
        }
        if (features != null && compat == null) {
            compat = "1.1";
        }
        String cluster = Dom.text(target, "clusterSize");
        VolumeDef.Target t = new VolumeDef.Target(Dom.trimmedText(target, "path"), format(target, formats),
            PermissionsXml.parse(Dom.child(target, "permissions")), EncryptionXml.parse(Dom.child(target, "encryption")),
            compat, cluster == null ? null : size("./target/clusterSize", cluster,
                Dom.childAttr(target, "clusterSize", "unit")),
            Dom.child(target, "nocow") != null, Dom.child(features, "lazy_refcounts") != null,
            Dom.child(features, "extended_l2") != null);
        Element backing = Dom.child(root, "backingStore");
        VolumeDef.BackingStore store = null;
        if (backing != null) {
            String path = Dom.trimmedText(backing, "path");
            if (path == null) {
                throw Errors.xml(D, "missing volume backing store path");
            }
            store = new VolumeDef.BackingStore(path, format(backing, formats),
                PermissionsXml.parse(Dom.child(backing, "permissions")));
        }
        return new VolumeDef(type, name, Dom.trimmedText(root, "key"), capacity, allocation, t, store);
    }

    private static long size(String what, String value, String unit) {
        return ScaledInteger.toBytes(D, what, value, unit, 1, -1L);
    }

    private static List<String> formats(PoolType type) {
        return switch (type) {
            case DIR, FS, NETFS, GLUSTER, RBD, VSTORAGE -> FILE_FORMATS;
            case DISK -> PARTITION_FORMATS;
            default -> List.of();
        };
    }

    private static String format(Element parent, List<String> formats) {
        if (formats.isEmpty()) {
            return null;
        }
        String format = Dom.childAttr(parent, "format", "type");
        if (format == null) {
            return formats == PARTITION_FORMATS ? "none" : "raw";
        }
        if (!formats.contains(format)) {
            throw Errors.xml(D, "unknown volume format type " + format);
        }
        return format;
    }

    /** Formats a volume; there are no live-only parts, so flags change nothing. */
    public static String format(VolumeDef def, int flags) {
        XmlTag root = XmlTag.of("volume").attr("type", def.type()).textChild("name", def.name())
            .textChild("key", def.key());
        root.child(XmlTag.of("capacity").attr("unit", "bytes").text(Long.toUnsignedString(def.capacity())));
        root.child(XmlTag.of("allocation").attr("unit", "bytes").text(Long.toUnsignedString(def.allocation())));
        VolumeDef.Target t = def.target();
        XmlTag target = XmlTag.of("target").textChild("path", t.path());
        if (t.format() != null) {
            target.child(XmlTag.of("format").attr("type", t.format()));
        }
        target.child(PermissionsXml.format(t.permissions())).child(EncryptionXml.format(t.encryption()))
            .textChild("compat", t.compat());
        if (t.clusterSize() != null) {
            target.child(XmlTag.of("clusterSize").attr("unit", "B").text(Long.toUnsignedString(t.clusterSize())));
        }
        if (t.nocow()) {
            target.child(XmlTag.of("nocow"));
        }
        if (t.lazyRefcounts() || t.extendedL2()) {
            target.child(XmlTag.of("features").child(t.lazyRefcounts() ? XmlTag.of("lazy_refcounts") : null)
                .child(t.extendedL2() ? XmlTag.of("extended_l2") : null));
        }
        root.childIfNotEmpty(target);
        VolumeDef.BackingStore b = def.backingStore();
        if (b != null) {
            XmlTag store = XmlTag.of("backingStore").textChild("path", b.path());
            if (b.format() != null) {
                store.child(XmlTag.of("format").attr("type", b.format()));
            }
            root.child(store.child(PermissionsXml.format(b.permissions())));
        }
        return root.toString();
    }
}
