package org.jvirtd.model.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.internal.Dom;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.Uuids;
import org.jvirtd.model.internal.XmlTag;
import org.jvirtd.model.internal.YesNo;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Parses and formats libvirt storage pool XML ({@code <pool>}), with the fs and rbd namespace extensions.
 */
public final class PoolXml {
    /** Format flag VIR_STORAGE_XML_INACTIVE. */
    public static final int INACTIVE = 1;
    public static final String FS_NS = "http://libvirt.org/schemas/storagepool/fs/1.0";
    public static final String RBD_NS = "http://libvirt.org/schemas/storagepool/rbd/1.0";

    private static final ErrorDomain D = ErrorDomain.STORAGE;

    private PoolXml() {
    }

    /** A path cleaned as a pool's {@code <target><path>} is (virFileSanitizePath), to compare with one. */
    public static String cleanPath(String path) {
        return PermissionsXml.sanitizePath(path);
    }

    public static PoolDef parse(String xml) {
        Element root = SafeXml.parseRoot(xml, "pool", D, "storage_pool_definition");
        String typeName = Dom.attr(root, "type");
        if (typeName == null) {
            throw Errors.xml(D, "Missing required attribute 'type' in element 'pool'");
        }
        PoolType type = PoolType.fromXml(typeName);
        if (type == null) {
            throw Errors.xml(D, "Invalid value for attribute 'type' in element 'pool': '" + typeName + "'.");
        }
        // libvirt's order: the source's own checks, the name, uuid and features, then what the type requires
        PoolSource parsed = PoolSourceXml.parse(Dom.child(root, "source"), type);
        String name = Dom.text(root, "name");
        if ((name == null || name.isEmpty()) && type.reads(PoolType.Source.NAME)) {
            name = parsed.name();
        }
        if (name == null || name.isEmpty()) {
            throw Errors.xml(D, "missing pool source name element");
        }
        if (name.contains("/")) {
            throw Errors.xml(D, "name " + name + " cannot contain '/'");
        }
        UUID uuid = uuid(Dom.trimmedText(root, "uuid"));
        Element cow = Dom.child(Dom.child(root, "features"), "cow");
        Boolean cowState = null;
        if (cow != null) {
            cowState = YesNo.parse(D, cow, "state");
            if (cowState != null && type != PoolType.FS && type != PoolType.DIR) {
                throw new VirtException(ErrorCode.NO_SUPPORT, D, "cow feature may only be used for 'fs' and 'dir' pools");
            }
        }
        PoolSource source = PoolSourceXml.validate(parsed, type, name);
        Element target = Dom.child(root, "target");
        String path = null;
        Permissions permissions = null;
        if (type.hasTarget()) {
            path = PermissionsXml.sanitizePath(Dom.trimmedText(target, "path"));
            if (type == PoolType.LOGICAL) {
                path = "/dev/" + source.name();
            } else if (type == PoolType.ZFS && path == null) {
                path = "/dev/zvol/" + source.name();
            }
            if (path == null) {
                throw Errors.xml(D, "missing storage pool target path");
            }
            permissions = PermissionsXml.parse(Dom.child(target, "permissions"));
        }
        if (type == PoolType.ISCSI_DIRECT && source.initiatorIqn() == null) {
            throw Errors.unsupported(D, "missing initiator IQN");
        }
        String refresh = Dom.attr(Dom.child(Dom.child(root, "refresh"), "volume"), "allocation");
        if (refresh != null && !refresh.equals("default") && !refresh.equals("capacity")) {
            throw Errors.unsupported(D, "unknown storage pool volume refresh allocation type " + refresh);
        }
        return new PoolDef(type, name, uuid, cowState, source, path, permissions, refresh, mountOptions(root, type),
            configOptions(root, type));
    }

    /** A pool's malformed uuid is an XML error (a network's is an internal error). */
    private static UUID uuid(String text) {
        try {
            return Uuids.parseOrGenerate(D, text);
        } catch (VirtException e) {
            throw Errors.xml(D, "malformed uuid element");
        }
    }

    private static List<Element> namespaced(Element root, String ns, String container, String item) {
        List<Element> found = new ArrayList<>();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && ns.equals(e.getNamespaceURI()) && container.equals(e.getLocalName())) {
                for (Node o = e.getFirstChild(); o != null; o = o.getNextSibling()) {
                    if (o instanceof Element opt && ns.equals(opt.getNamespaceURI()) && item.equals(opt.getLocalName())) {
                        found.add(opt);
                    }
                }
            }
        }
        return found;
    }

    private static List<String> mountOptions(Element root, PoolType type) {
        List<String> options = new ArrayList<>();
        if (type == PoolType.FS || type == PoolType.NETFS) {
            for (Element o : namespaced(root, FS_NS, "mount_opts", "option")) {
                String name = Dom.attr(o, "name");
                if (name == null) {
                    throw Errors.xml(D, "no fs mount option name specified");
                }
                options.add(name);
            }
        }
        return options;
    }

    private static List<PoolDef.ConfigOption> configOptions(Element root, PoolType type) {
        List<PoolDef.ConfigOption> options = new ArrayList<>();
        if (type == PoolType.RBD) {
            for (Element o : namespaced(root, RBD_NS, "config_opts", "option")) {
                String name = Dom.attr(o, "name");
                String value = Dom.attr(o, "value");
                if (name == null || value == null) {
                    throw Errors.xml(D, "no rbd option " + (name == null ? "name" : "value") + " specified");
                }
                options.add(new PoolDef.ConfigOption(name, value));
            }
        }
        return options;
    }

    /** Formats a pool definition; capacity, allocation and available are those of an inactive pool (0). */
    public static String format(PoolDef def, int flags) {
        return format(def, 0, 0, 0);
    }

    /** Formats a pool with its live sizes in bytes. */
    public static String format(PoolDef def, long capacity, long allocation, long available) {
        XmlTag root = XmlTag.of("pool").attr("type", def.type().xmlName())
            .attr("xmlns:fs", def.mountOptions().isEmpty() ? null : FS_NS)
            .attr("xmlns:rbd", def.configOptions().isEmpty() ? null : RBD_NS);
        root.textChild("name", def.name()).textChild("uuid", def.uuid());
        root.child(XmlTag.of("capacity").attr("unit", "bytes").text(Long.toUnsignedString(capacity)));
        root.child(XmlTag.of("allocation").attr("unit", "bytes").text(Long.toUnsignedString(allocation)));
        root.child(XmlTag.of("available").attr("unit", "bytes").text(Long.toUnsignedString(available)));
        if (def.cow() != null) {
            root.child(XmlTag.of("features").child(XmlTag.of("cow").yesNo("state", def.cow())));
        }
        root.child(PoolSourceXml.format(def.source(), def.type()));
        if (def.type().hasTarget()) {
            root.child(XmlTag.of("target").textChild("path", def.targetPath())
                .child(PermissionsXml.format(def.permissions())));
        }
        if (def.refreshVolumeAllocation() != null) {
            root.child(XmlTag.of("refresh").child(XmlTag.of("volume").attr("allocation", def.refreshVolumeAllocation())));
        }
        if (!def.mountOptions().isEmpty()) {
            XmlTag opts = XmlTag.of("fs:mount_opts");
            def.mountOptions().forEach(o -> opts.child(XmlTag.of("fs:option").attr("name", o)));
            root.child(opts);
        }
        if (!def.configOptions().isEmpty()) {
            XmlTag opts = XmlTag.of("rbd:config_opts");
            def.configOptions().forEach(o -> opts.child(XmlTag.of("rbd:option").attr("name", o.name())
                .attr("value", o.value())));
            root.child(opts);
        }
        return root.toString();
    }
}
