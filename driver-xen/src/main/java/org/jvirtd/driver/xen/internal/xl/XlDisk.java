package org.jvirtd.driver.xen.internal.xl;

import static org.jvirtd.driver.xen.internal.xl.Elements.attr;
import static org.jvirtd.driver.xen.internal.xl.Elements.child;
import static org.jvirtd.driver.xen.internal.xl.Elements.children;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

import org.w3c.dom.Element;

/**
 * One disk as an xl disk spec (xl-disk-configuration): libvirt writes
 * {@code format=F,vdev=V,access=A[,backendtype=B][,devtype=cdrom],target=PATH} and reads any mix of named and
 * positional parameters (target, format, vdev, access), where a named {@code target=} takes the rest of the spec.
 */
record XlDisk(String target, String format, String vdev, boolean readonly, boolean cdrom, String backend) {
    private static final List<String> POSITIONS = List.of("target", "format", "vdev", "access");

    static String format(Element disk) {
        Element driver = child(disk, "driver");
        String type = attr(driver, "type");
        StringBuilder spec = new StringBuilder("format=").append(switch (type == null ? "" : type) {
            case "vhd" -> "xvhd";
            case "qcow", "qcow2", "qed" -> type;
            default -> "raw";
        });
        spec.append(",vdev=").append(attr(child(disk, "target"), "dev"));
        spec.append(",access=").append(child(disk, "readonly") != null ? "ro"
            : child(disk, "shareable") != null ? "!" : "rw");
        if (child(disk, "transient") != null) {
            throw XenConversionErrors.unsupported("transient disks not supported yet");
        }
        String name = attr(driver, "name");
        if (name != null) {
            spec.append(",backendtype=").append(switch (name) {
                case "qemu", "file" -> "qdisk";
                default -> name;
            });
        }
        if ("cdrom".equals(attr(disk, "device"))) {
            spec.append(",devtype=cdrom");
        }
        String source = source(disk);
        if (source != null) {
            spec.append(",target=").append(source);
        }
        return spec.toString();
    }

    private static String source(Element disk) {
        Element source = child(disk, "source");
        if (source == null) {
            return null;
        }
        if (!"network".equals(attr(disk, "type"))) {
            for (String key : new String[] {"file", "dev", "dir"}) {
                if (attr(source, key) != null) {
                    return attr(source, key);
                }
            }
            return null;
        }
        String protocol = attr(source, "protocol");
        if (!"rbd".equals(protocol)) {
            throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.XENXL,
                "Unsupported network block protocol '" + protocol + "'");
        }
        String name = attr(source, "name");
        int slash = name.indexOf('/');
        String image = slash < 0 ? name : name.substring(slash + 1);
        if (image.contains(":")) {
            throw XenConversionErrors.unsupported("':' not allowed in RBD source volume name '" + image + "'");
        }
        StringBuilder rbd = new StringBuilder("rbd:").append(name).append(":auth_supported=none");
        List<Element> hosts = children(source, "host");
        if (!hosts.isEmpty()) {
            rbd.append(":mon_host=");
            for (int i = 0; i < hosts.size(); i++) {
                if (i > 0) {
                    rbd.append("\\\\;");
                }
                String host = attr(hosts.get(i), "name");
                rbd.append(host.contains(":") ? "[" + host.replace(":", "\\:") + "]" : host);
                if (attr(hosts.get(i), "port") != null) {
                    rbd.append("\\\\:").append(attr(hosts.get(i), "port"));
                }
            }
        }
        return rbd.toString();
    }

    /** Reads a spec as xl's disk parser does. */
    static XlDisk parse(String spec) {
        String target = null;
        String format = null;
        String vdev = null;
        String access = null;
        boolean cdrom = false;
        String backend = null;
        int position = 0;
        String rest = spec;
        while (rest != null) {
            rest = rest.stripLeading();
            String token;
            int comma = rest.indexOf(',');
            if (rest.startsWith("target=")) {
                token = rest;
                rest = null;
            } else {
                token = comma < 0 ? rest : rest.substring(0, comma);
                rest = comma < 0 ? null : rest.substring(comma + 1);
            }
            int eq = token.indexOf('=');
            String key = eq < 0 ? null : token.substring(0, eq);
            String value = eq < 0 ? token : token.substring(eq + 1);
            if (key == null && token.equals("cdrom")) {
                cdrom = true;
                continue;
            }
            if (key == null && token.isEmpty() && rest == null) {
                break;
            }
            if (key == null) {
                if (position >= POSITIONS.size()) {
                    throw XenConversionErrors.internal("too many positional parameters in disk spec '" + spec
                        + "'");
                }
                key = POSITIONS.get(position++);
            }
            switch (key) {
                case "target" -> target = value;
                case "format" -> format = value;
                case "vdev" -> vdev = value;
                case "access" -> access = value;
                case "devtype" -> cdrom = cdrom || value.equals("cdrom");
                case "backendtype" -> backend = value;
                default -> { }
            }
        }
        if (vdev == null) {
            throw XenConversionErrors.internal("disk spec '" + spec + "' has no vdev");
        }
        boolean readonly = switch (access == null || access.isEmpty() ? "rw" : access) {
            case "r", "ro" -> true;
            case "w", "rw" -> false;
            default -> throw XenConversionErrors.internal("invalid access '" + access + "' in disk spec");
        };
        return new XlDisk(target, format == null || format.isEmpty() ? null : format, vdev, readonly, cdrom,
            backend == null || backend.isEmpty() ? null : backend);
    }

    /** The disk element; {@code bus} is xen, scsi or ide (by the vdev and the guest type). */
    void write(XmlText xml, String bus) {
        String sourceKey = "file";
        String type;
        String driver;
        String fmt;
        if (cdrom) {
            type = "file";
            driver = "qemu";
            fmt = target == null || target.isEmpty() ? null : "raw";
        } else {
            fmt = switch (format == null ? "raw" : format) {
                case "qcow", "qcow2", "vhd", "raw", "qed" -> format == null ? "raw" : format;
                case "empty" -> null;
                default -> throw XenConversionErrors.unsupported("disk image format not supported: " + format);
            };
            switch (backend == null ? "qdisk" : backend) {
                case "qdisk" -> {
                    type = "file";
                    driver = "qemu";
                }
                case "tap" -> {
                    type = "file";
                    driver = "tap";
                }
                case "phy" -> {
                    type = "block";
                    driver = "phy";
                    sourceKey = "dev";
                }
                default -> throw XenConversionErrors.unsupported("disk backend not supported: " + backend);
            }
        }
        RbdSource rbd = target == null ? null : RbdSource.parse(target);
        xml.open("disk", "type", rbd != null ? "network" : type, "device", cdrom ? "cdrom" : "disk");
        xml.empty("driver", "name", driver, "type", fmt);
        if (rbd != null) {
            rbd.write(xml);
        } else if (target != null && !target.isEmpty()) {
            xml.empty("source", sourceKey, target);
        }
        xml.empty("target", "dev", vdev, "bus", bus);
        if (readonly) {
            xml.empty("readonly");
        }
        int index = DiskNames.index(vdev);
        if (bus.equals("ide") && index >= 0) {
            xml.empty("address", "type", "drive", "controller", Integer.toString(index / 4), "bus",
                Integer.toString((index % 4) / 2), "target", "0", "unit", Integer.toString(index % 2));
        } else if (bus.equals("scsi") && index >= 0) {
            xml.empty("address", "type", "drive", "controller", Integer.toString(index / 7), "bus", "0",
                "target", "0", "unit", Integer.toString(index % 7));
        }
        xml.close();
    }
}
