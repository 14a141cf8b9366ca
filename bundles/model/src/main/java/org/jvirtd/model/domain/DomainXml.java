package org.jvirtd.model.domain;

import java.util.List;
import java.util.UUID;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.Names;
import org.jvirtd.model.internal.ScaledInteger;
import org.jvirtd.model.internal.Uuids;
import org.jvirtd.model.internal.XmlNode;

/**
 * Parses and formats libvirt domain XML: the core facts typed, the rest kept and written in canonical form.
 */
public final class DomainXml {
    /** Format flag VIR_DOMAIN_XML_SECURE: include passwords. */
    public static final int SECURE = 1;
    /** Format flag VIR_DOMAIN_XML_INACTIVE (also a parse flag): the persistent view, without the id. */
    public static final int INACTIVE = 2;
    /** Format flag VIR_DOMAIN_XML_MIGRATABLE. */
    public static final int MIGRATABLE = 8;
    /** Internal format flag (libvirt's VIR_DOMAIN_DEF_FORMAT_STATUS): keep the markers only status files carry. */
    public static final int STATUS = 1 << 16;
    /**
     * Parse flag: the document is a definition a client hands in (define, create, a conformance input), whose
     * controllers are put in the order libvirt inserts them as it parses. Without it a document keeps its order:
     * stored definitions and a driver's post-parse result (whose own controllers it appended, as libvirt does).
     */
    public static final int NEW_DEFINITION = 1 << 17;

    private static final ErrorDomain D = ErrorDomain.DOMAIN;
    private static final List<String> TYPES = List.of("none", "qemu", "kqemu", "kvm", "xen", "lxc", "uml", "openvz",
        "test", "vmware", "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz", "hvf");
    /** libvirt's ceiling for memory sizes: 2^53-1 KiB expressed in bytes (VIR_DOMAIN_MEMORY_PARAM_UNLIMITED). */
    private static final long MAX_MEMORY_BYTES = ((1L << 53) - 1) << 10;

    private DomainXml() {
    }

    /** Parses live XML (runtime data such as the id accepted). */
    public static DomainDef parse(String xml) {
        return parse(xml, 0);
    }

    /** Parses with libvirt's parse flags; {@link #INACTIVE} reads the persistent view and drops the id. */
    public static DomainDef parse(String xml, int flags) {
        XmlNode root = XmlNode.parse(xml, D, "domain_definition");
        if (!root.is("domain")) {
            throw Errors.xml(D, "expecting root element of 'domain', not '" + root.name() + "'");
        }
        String type = root.attr("type");
        if (type == null || type.isEmpty()) {
            throw Errors.xml(D, "missing domain type attribute");
        }
        if (!TYPES.contains(type)) {
            throw Errors.xml(D, "invalid domain type " + type);
        }
        String name = Names.require(D, root.childText("name"), "domain name");
        String uuidText = root.childText("uuid");
        UUID uuid = Uuids.parseOrGenerate(D, uuidText == null ? null : uuidText.strip());
        long memory = memoryKiB(root, "memory");
        if (memory == 0) {
            memory = MemorySizes.derivedKiB(root); // libvirt sizes a guest without <memory> by its NUMA cells
        }
        long current = memoryKiB(root, "currentMemory");
        if (current == 0 || current > memory) {
            current = memory;
        }
        int vcpus = vcpus(root);
        int currentVcpus = currentVcpus(root, vcpus);
        int id = (flags & INACTIVE) != 0 ? -1 : parseId(root.attr("id"));
        DomainCanonicalizer.apply(root, uuid, memory, current, vcpus, (flags & NEW_DEFINITION) != 0);
        if ((flags & INACTIVE) != 0) {
            RuntimeParts.apply(root, INACTIVE);
        }
        RuntimeParts.resetAutoports(root);
        root.set("id", null);
        XmlNode os = root.child("os");
        String osType = os == null ? null : os.childText("type");
        return new DomainDef(type, name, uuid, memory, current, vcpus, currentVcpus,
            osType == null ? null : osType.strip(), id, root);
    }

    /** Formats a definition; {@code id} >= 0 writes the live form with that id unless INACTIVE is set. */
    public static String format(DomainDef def, int id, int flags) {
        XmlNode root = def.document();
        root.set("id", null);
        RuntimeParts.apply(root, flags);
        if (id >= 0 && (flags & (INACTIVE | MIGRATABLE)) == 0) {
            root.set("id", Integer.toString(id));
        }
        root.orderAttributes(List.of("type", "id"));
        List<String> namespaces = root.attributes().keySet().stream().filter(k -> k.startsWith("xmlns")).toList();
        namespaces.forEach(ns -> root.set(ns, root.attributes().remove(ns)));
        if ((flags & SECURE) == 0) {
            XmlNode devices = root.child("devices");
            if (devices != null) {
                devices.children("graphics").forEach(g -> g.set("passwd", null));
                devices.children("disk").forEach(DomainXml::withoutCookies);
            }
        }
        XmlNode devices = root.child("devices");
        if (devices != null) {
            CanonicalOrder.apply(devices);
        }
        return root.toTag().toString();
    }

    /** HTTP cookies of a network disk (and its backing chain) are secrets: written only with SECURE. */
    private static void withoutCookies(XmlNode node) {
        node.removeIf(c -> c.is("cookies"));
        node.children().forEach(DomainXml::withoutCookies);
    }

    private static int parseId(String text) {
        if (text == null) {
            return -1;
        }
        if (!text.strip().matches("-?\\d{1,9}")) {
            throw Errors.xml(D, "invalid domain id '" + text + "'");
        }
        return Integer.parseInt(text.strip());
    }

    private static long memoryKiB(XmlNode root, String element) {
        XmlNode e = root.child(element);
        if (e == null) {
            return 0;
        }
        long bytes = ScaledInteger.toBytes(D, "./" + element + "[1]", e.text(), e.attr("unit"), 1024,
            MAX_MEMORY_BYTES);
        return (bytes + 1023) / 1024;
    }

    private static int vcpus(XmlNode root) {
        String text = root.childText("vcpu");
        if (text == null) {
            return 1;
        }
        text = text.strip();
        if (!text.matches("\\d{1,5}")) {
            throw Errors.xml(D, "maximum vcpus count must be an integer");
        }
        int count = Integer.parseInt(text);
        if (count == 0) {
            throw Errors.xml(D, "Invalid number of vCPUs: 0");
        }
        return count;
    }

    /** The vCPUs online at boot: the vcpu element's {@code current} attribute, the maximum when absent. */
    private static int currentVcpus(XmlNode root, int maximum) {
        XmlNode vcpu = root.child("vcpu");
        String text = vcpu == null ? null : vcpu.attr("current");
        if (text == null) {
            return maximum;
        }
        if (!text.matches("\\d{1,9}")) {
            throw Errors.xml(D, "Invalid value for attribute 'current' in element 'vcpu': '" + text
                + "'. Expected non-negative integer value");
        }
        int current = Integer.parseInt(text);
        if (current > maximum) {
            throw Errors.unsupported(D, "maximum vCPU count must not be less than current vCPU count");
        }
        if (current == 0) {
            throw Errors.unsupported(D, "vcpu 0 can't be offline");
        }
        return current;
    }
}
