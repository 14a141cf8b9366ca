package org.jvirtd.model.storage;

import java.time.Instant;
import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Dom;
import org.jvirtd.model.internal.Errors;
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
    /** Parse flag VIR_VOL_XML_PARSE_OPT_CAPACITY: a volume over a backing store may leave out its capacity. */
    public static final int OPT_CAPACITY = 2;

    private static final ErrorDomain D = ErrorDomain.STORAGE;
    private static final List<String> TYPES = List.of("file", "block", "dir", "network", "netdir", "ploop");
    // libvirt's file formats but "none", which a file volume cannot have
    private static final List<String> FILE_FORMATS = List.of("raw", "dir", "bochs", "cloop", "dmg", "iso",
        "vpc", "vdi", "fat", "vhd", "ploop", "cow", "qcow", "qcow2", "qed", "vmdk");
    private static final List<String> FEATURES = List.of("lazy_refcounts", "extended_l2");
    private static final List<String> PARTITION_FORMATS = List.of("none", "linux", "fat16", "fat32", "linux-swap",
        "linux-lvm", "linux-raid", "extended");

    private VolumeXml() {
    }

    public static VolumeDef parse(PoolDef pool, String xml) {
        return parse(pool, xml, 0);
    }

    public static VolumeDef parse(PoolDef pool, String xml, int flags) {
        Element root = SafeXml.parseRoot(xml, "volume", D, "storage_volume_definition");
        String name = Dom.text(root, "name");
        if (name == null || name.isEmpty()) {
            throw Errors.xml(D, "missing volume name element");
        }
        String type = Dom.attr(root, "type");
        if (type == null) {
            type = pool.type().volumeType();
        } else if (!TYPES.contains(type)) {
            throw Errors.unsupported(D, "unknown volume type '" + type + "'");
        }
        List<String> formats = formats(pool.type());
        Element backing = Dom.child(root, "backingStore");
        VolumeDef.BackingStore store = null;
        String backingPath = Dom.trimmedText(backing, "path");
        if (backingPath != null) {
            store = new VolumeDef.BackingStore(backingPath, format(backing, formats),
                PermissionsXml.parse(Dom.child(backing, "permissions")));
        }
        String capacityText = Dom.text(root, "capacity");
        long capacity = 0;
        if (capacityText != null) {
            capacity = size("./capacity", capacityText, Dom.childAttr(root, "capacity", "unit"));
        } else if ((flags & NO_CAPACITY) == 0 && ((flags & OPT_CAPACITY) == 0 || store == null)) {
            throw Errors.xml(D, "missing capacity element");
        }
        String allocationText = Dom.text(root, "allocation");
        long allocation = allocationText == null ? capacity
            : size("./allocation", allocationText, Dom.childAttr(root, "allocation", "unit"));
        Element target = Dom.child(root, "target");
        Element features = Dom.child(target, "features");
        String compat = Dom.trimmedText(target, "compat");
        if (compat != null && !compat.matches("\\d+\\.\\d+")) {
            throw Errors.xml(D, "forbidden characters in 'compat' attribute");
        }
        if (features != null && compat == null) {
            compat = "1.1";
        }
        for (Element feature : features == null ? List.<Element>of() : Dom.elements(features)) {
            if (!FEATURES.contains(feature.getLocalName())) {
                throw Errors.unsupported(D, "unsupported feature " + feature.getLocalName());
            }
        }
        String cluster = Dom.text(target, "clusterSize");
        VolumeDef.Target t = new VolumeDef.Target(Dom.trimmedText(target, "path"), format(target, formats),
            PermissionsXml.parse(Dom.child(target, "permissions")), EncryptionXml.parse(Dom.child(target, "encryption")),
            compat, cluster == null ? null : ScaledInteger.toBytes(D, "./target/clusterSize", cluster,
                Dom.childAttr(target, "clusterSize", "unit"), 1, -1L),
            Dom.child(target, "nocow") != null, Dom.child(features, "lazy_refcounts") != null,
            Dom.child(features, "extended_l2") != null, features != null);
        return new VolumeDef(type, name, Dom.trimmedText(root, "key"), capacity, allocation, t, store);
    }

    /** libvirt's virStorageSize: a plain unsigned decimal, scaled by the unit up to 2^63 - 1 (files are signed). */
    private static long size(String what, String value, String unit) {
        String digits = value.stripLeading();
        if (!digits.matches("\\+?\\d+") || new java.math.BigInteger(digits.replace("+", "")).bitLength() > 64) {
            throw Errors.xml(D, "malformed capacity element");
        }
        return ScaledInteger.toBytes(D, what, digits.replace("+", ""), unit, 1, Long.MAX_VALUE);
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
            throw Errors.unsupported(D, "unknown volume format type " + format);
        }
        return format;
    }

    /** Formats a volume definition; there are no live-only parts, so flags change nothing. */
    public static String format(VolumeDef def, int flags) {
        return format(def, null);
    }

    /**
     * Formats a volume with what its file's stat says ({@code <physical>}, {@code <timestamps>}), as libvirt
     * shows a volume it has looked at; {@code stat} null formats the definition alone.
     */
    public static String format(VolumeDef def, VolumeStat stat) {
        XmlTag root = XmlTag.of("volume").attr("type", def.type()).textChild("name", def.name())
            .textChild("key", def.key());
        root.child(XmlTag.of("capacity").attr("unit", "bytes").text(Long.toUnsignedString(def.capacity())));
        root.child(XmlTag.of("allocation").attr("unit", "bytes").text(Long.toUnsignedString(def.allocation())));
        if (stat != null && stat.physical() != 0) {
            root.child(XmlTag.of("physical").attr("unit", "bytes").text(Long.toUnsignedString(stat.physical())));
        }
        VolumeDef.Target t = def.target();
        XmlTag target = XmlTag.of("target").textChild("path", t.path());
        if (t.format() != null) {
            target.child(XmlTag.of("format").attr("type", t.format()));
        }
        target.child(PermissionsXml.format(t.permissions()));
        if (stat != null) {
            target.child(XmlTag.of("timestamps").textChild("atime", time(stat.atime()))
                .textChild("mtime", time(stat.mtime())).textChild("ctime", time(stat.ctime())).textChild("btime", "0"));
        }
        target.child(EncryptionXml.format(t.encryption())).textChild("compat", t.compat());
        if (t.clusterSize() != null && t.clusterSize() != 0) {
            target.child(XmlTag.of("clusterSize").attr("unit", "B").text(Long.toUnsignedString(t.clusterSize())));
        }
        // <nocow/> is read, never written back: libvirt does not format it
        if (t.features()) {
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

    /** Seconds, then the nanoseconds in nine digits unless they are 0, as libvirt writes a struct timespec. */
    private static String time(Instant instant) {
        return instant.getNano() == 0 ? Long.toString(instant.getEpochSecond())
            : instant.getEpochSecond() + "." + String.format("%09d", instant.getNano());
    }
}
