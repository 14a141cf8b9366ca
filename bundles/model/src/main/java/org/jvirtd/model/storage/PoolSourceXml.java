package org.jvirtd.model.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Dom;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.Uuids;
import org.jvirtd.model.internal.XmlTag;
import org.jvirtd.model.internal.YesNo;
import org.jvirtd.model.storage.PoolType.Source;
import org.w3c.dom.Element;

/**
 * Parse/format of a pool's {@code <source>}, reading only what the pool type uses, in libvirt's element order.
 */
final class PoolSourceXml {
    private static final ErrorDomain D = ErrorDomain.STORAGE;

    private PoolSourceXml() {
    }

    /** The source element's own checks; what the pool type requires of it is {@link #validate}. */
    static PoolSource parse(Element e, PoolType type) {
        String name = Dom.text(e, "name");
        if (e != null && type == PoolType.RBD && name == null) {
            throw Errors.xml(D, "element 'name' is mandatory for RBD pool");
        }
        String format = format(e, type);
        List<PoolSource.Host> hosts = new ArrayList<>();
        for (Element h : Dom.children(e, "host")) {
            String host = Dom.attr(h, "name");
            if (host == null) {
                throw Errors.xml(D, "missing storage pool host name");
            }
            String port = Dom.attr(h, "port");
            if (port != null && !port.strip().matches("\\d{1,5}")) {
                throw Errors.xml(D, "Invalid value for attribute 'port' in element 'host': '" + port
                    + "'. Expected integer value");
            }
            hosts.add(new PoolSource.Host(host, port == null ? null : Integer.valueOf(port.strip())));
        }
        List<PoolSource.Device> devices = new ArrayList<>();
        for (Element d : Dom.children(e, "device")) {
            String path = Dom.attr(d, "path");
            if (path == null) {
                throw Errors.xml(D, "missing storage pool source device path");
            }
            devices.add(new PoolSource.Device(path, YesNo.parse(D, d, "part_separator")));
        }
        String dir = Dom.childAttr(e, "dir", "path");
        if (type == PoolType.GLUSTER && dir == null) {
            dir = "/";
        }
        return new PoolSource(hosts, devices, PermissionsXml.sanitizePath(dir),
            parseAdapter(Dom.child(e, "adapter")), name, Dom.childAttr(Dom.child(e, "initiator"), "iqn", "name"),
            format, parseAuth(Dom.child(e, "auth")), protocol(e, format), Dom.childAttr(e, "vendor", "name"),
            Dom.childAttr(e, "product", "name"));
    }

    private static String format(Element e, PoolType type) {
        if (type.formats().isEmpty()) {
            return null;
        }
        String format = Dom.childAttr(e, "format", "type");
        if (format == null) {
            return type == PoolType.DISK ? "unknown" : type.formats().get(type == PoolType.LOGICAL ? 1 : 0);
        }
        if (!type.formats().contains(format)) {
            throw Errors.unsupported(D, "unknown pool format type " + format);
        }
        return format;
    }

    /** The NFS version to mount with, kept as given (libvirt 9.0 does not check its form). */
    private static String protocol(Element e, String format) {
        String ver = Dom.childAttr(e, "protocol", "ver");
        if (ver == null) {
            return null;
        }
        if (format != null && !format.equals("nfs") && !format.equals("auto")) {
            throw Errors.unsupported(D, "storage pool protocol ver unsupported for pool type '" + format + "'");
        }
        return ver;
    }

    private static PoolSource.Auth parseAuth(Element e) {
        if (e == null) {
            return null;
        }
        String type = Dom.attr(e, "type");
        if (type == null) {
            throw Errors.unsupported(D, "storage pool missing auth type");
        }
        if (!type.equals("chap") && !type.equals("ceph")) {
            throw Errors.unsupported(D, "unknown auth type '" + type + "'");
        }
        String username = Dom.attr(e, "username");
        if (username == null) {
            throw Errors.xml(D, "missing username for auth");
        }
        Element secret = Dom.child(e, "secret");
        if (secret == null) {
            throw Errors.xml(D, "Missing <secret> element in auth");
        }
        String uuid = Dom.attr(secret, "uuid");
        String usage = Dom.attr(secret, "usage");
        if (uuid == null && usage == null) {
            throw Errors.xml(D, "missing auth secret uuid or usage attribute");
        }
        if (uuid != null && usage != null) {
            throw Errors.xml(D, "either auth secret uuid or usage expected");
        }
        return new PoolSource.Auth(type, username, uuid == null ? null : Uuids.parse(D, uuid).toString(), usage);
    }

    private static PoolSource.Adapter parseAdapter(Element e) {
        if (e == null) {
            return null;
        }
        String type = Dom.attr(e, "type");
        if (type == null) {
            if (Dom.attr(e, "name") == null) {
                throw Errors.xml(D, "Use of 'type' attribute requires either 'name' or 'parentaddr'");
            }
            type = "scsi_host";
        }
        if (type.equals("fc_host")) {
            String wwnn = Dom.attr(e, "wwnn");
            String wwpn = Dom.attr(e, "wwpn");
            if (wwnn == null || wwpn == null) {
                throw Errors.xml(D, "'wwnn' and 'wwpn' must be specified for adapter type 'fchost'");
            }
            return new PoolSource.Adapter(type, null, null, null, YesNo.parse(D, "managed", Dom.attr(e, "managed")),
                Dom.attr(e, "parent"), Dom.attr(e, "parent_wwnn"), Dom.attr(e, "parent_wwpn"),
                Dom.attr(e, "parent_fabric_wwn"), wwnn, wwpn);
        }
        if (!type.equals("scsi_host")) {
            throw Errors.xml(D, "Unknown pool adapter type '" + type + "'");
        }
        Element parentAddr = Dom.child(e, "parentaddr");
        String name = Dom.attr(e, "name");
        if (name != null && parentAddr != null) {
            throw Errors.xml(D, "Use of 'name' and 'parentaddr' attribute are mutually exclusive");
        }
        if (name == null && parentAddr == null) {
            throw Errors.xml(D, "Use of 'type' attribute requires either 'name' or 'parentaddr'");
        }
        Integer uniqueId = null;
        PoolSource.PciAddress address = null;
        if (parentAddr != null) {
            String id = Dom.attr(parentAddr, "unique_id");
            uniqueId = id == null ? null : uniqueId(id);
            Element a = Dom.child(parentAddr, "address");
            if (a == null) {
                throw Errors.xml(D, "Missing scsi_host PCI address element");
            }
            address = new PoolSource.PciAddress(hex(a, "domain"), hex(a, "bus"), hex(a, "slot"), hex(a, "function"));
        }
        return new PoolSource.Adapter(type, name, uniqueId, address, null, null, null, null, null, null, null);
    }

    /** parentaddr's unique_id: a non-negative int, refused with libvirt 9.0's error otherwise. */
    private static int uniqueId(String text) {
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw Errors.xml(D, "Missing or invalid scsi adapter 'unique_id' value");
    }

    private static int hex(Element a, String attribute) {
        String text = Dom.attr(a, attribute);
        if (text == null) {
            return 0;
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            return t.startsWith("0x") ? Integer.parseInt(t.substring(2), 16) : Integer.decode(t);
        } catch (NumberFormatException ex) {
            throw Errors.xml(D, "Cannot parse <address> '" + attribute + "' attribute");
        }
    }

    /**
     * What the pool type requires of its source, checked after the pool's name: hosts, a directory, an
     * adapter, and a device where a device is all the type reads. A type that reads a source name gets the
     * pool's name when it has none.
     */
    static PoolSource validate(PoolSource s, PoolType type, String poolName) {
        if (type.reads(Source.HOST) && s.hosts().isEmpty()) {
            throw Errors.xml(D, "missing storage pool source host name");
        }
        if (type.reads(Source.DIR) && s.dir() == null) {
            throw Errors.xml(D, "missing storage pool source path");
        }
        if (type.reads(Source.ADAPTER) && s.adapter() == null) {
            throw Errors.xml(D, "missing storage pool source adapter");
        }
        if ((type == PoolType.FS || type == PoolType.DISK) && s.devices().isEmpty()) {
            throw Errors.xml(D, "missing storage pool source device name");
        }
        if (!type.reads(Source.NAME) || s.name() != null) {
            return s;
        }
        return new PoolSource(s.hosts(), s.devices(), s.dir(), s.adapter(), poolName, s.initiatorIqn(), s.format(),
            s.auth(), s.protocolVersion(), s.vendor(), s.product());
    }

    static XmlTag format(PoolSource s, PoolType type) {
        XmlTag tag = XmlTag.of("source").keepOpen();
        if (type.reads(Source.HOST)) {
            s.hosts().forEach(h -> tag.child(XmlTag.of("host").attr("name", h.name()).attr("port", h.port())));
        }
        if (type.reads(Source.DEVICE)) {
            s.devices().forEach(d -> tag.child(XmlTag.of("device").attr("path", d.path())
                .yesNo("part_separator", d.partSeparator())));
        }
        if (type.reads(Source.DIR) && s.dir() != null) {
            tag.child(XmlTag.of("dir").attr("path", s.dir()));
        }
        if (type.reads(Source.ADAPTER) && s.adapter() != null) {
            tag.child(formatAdapter(s.adapter()));
        }
        if (type.reads(Source.NAME)) {
            tag.textChild("name", s.name());
        }
        if (type.reads(Source.INITIATOR) && s.initiatorIqn() != null) {
            tag.child(XmlTag.of("initiator").child(XmlTag.of("iqn").attr("name", s.initiatorIqn())));
        }
        if (s.format() != null) {
            tag.child(XmlTag.of("format").attr("type", s.format()));
        }
        if (s.auth() != null) {
            tag.child(XmlTag.of("auth").attr("type", s.auth().type()).attr("username", s.auth().username())
                .child(XmlTag.of("secret").attr("uuid", s.auth().secretUuid()).attr("usage", s.auth().secretUsage())));
        }
        if (s.protocolVersion() != null) {
            tag.child(XmlTag.of("protocol").attr("ver", s.protocolVersion()));
        }
        if (s.vendor() != null) {
            tag.child(XmlTag.of("vendor").attr("name", s.vendor()));
        }
        if (s.product() != null) {
            tag.child(XmlTag.of("product").attr("name", s.product()));
        }
        return tag;
    }

    private static XmlTag formatAdapter(PoolSource.Adapter a) {
        XmlTag tag = XmlTag.of("adapter").attr("type", a.type());
        if (a.type().equals("fc_host")) {
            return tag.attr("parent", a.parent()).attr("parent_wwnn", a.parentWwnn())
                .attr("parent_wwpn", a.parentWwpn()).attr("parent_fabric_wwn", a.parentFabricWwn())
                .yesNo("managed", a.managed()).attr("wwnn", a.wwnn()).attr("wwpn", a.wwpn());
        }
        if (a.name() != null) {
            return tag.attr("name", a.name());
        }
        PoolSource.PciAddress p = a.parentAddress();
        return tag.child(XmlTag.of("parentaddr").attr("unique_id", a.uniqueId())
            .child(XmlTag.of("address").attr("domain", String.format("0x%04x", p.domain()))
                .attr("bus", String.format("0x%02x", p.bus())).attr("slot", String.format("0x%02x", p.slot()))
                .attr("function", String.format("0x%x", p.function()))));
    }
}
