package org.jvirtd.driver.lxc.internal;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * What a container run needs from an LXC domain definition: the init program with its arguments,
 * environment, directory and user, the file systems (a directory mounted as root and more bind mounts), the
 * memory limit and the network interfaces. Read from the domain XML the model already accepted.
 */
public record ContainerDef(String name, String uuid, String osType, String init, List<String> initArgs,
                           Map<String, String> initEnv, String initDir, String initUser, List<Mount> mounts,
                           long memoryKiB, long hardLimitKiB, List<Nic> nics) {

    /**
     * A {@code <filesystem type='mount'>}: a host directory bind-mounted at {@code target}; or, with a null
     * source, a {@code <filesystem type='ram'>}: a tmpfs of {@code ramKiB} at {@code target}.
     */
    public record Mount(String source, String target, boolean readOnly, long ramKiB) {
        public Mount(String source, String target, boolean readOnly) {
            this(source, target, readOnly, 0);
        }

        public boolean isRam() {
            return source == null && ramKiB > 0;
        }
    }

    /**
     * An {@code <interface>} of type network or bridge: the host bridge (or network name to resolve), the MAC,
     * the host-side name if the definition gives one, and the name it gets inside.
     */
    public record Nic(String type, String source, String mac, String hostName) {
    }

    public static ContainerDef parse(String xml) {
        Element root = document(xml).getDocumentElement();
        Element os = child(root, "os");
        String osType = os == null ? null : text(child(os, "type"));
        String init = os == null ? null : text(child(os, "init"));
        List<String> args = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        String initDir = null;
        String initUser = null;
        if (os != null) {
            for (Element e : children(os, "initarg")) {
                args.add(text(e));
            }
            for (Element e : children(os, "initenv")) {
                env.put(e.getAttribute("name"), text(e));
            }
            initDir = text(child(os, "initdir"));
            initUser = text(child(os, "inituser"));
        }
        List<Mount> mounts = new ArrayList<>();
        List<Nic> nics = new ArrayList<>();
        Element devices = child(root, "devices");
        if (devices != null) {
            for (Element fs : children(devices, "filesystem")) {
                String type = fs.getAttribute("type").isEmpty() ? "mount" : fs.getAttribute("type");
                Element source = child(fs, "source");
                Element target = child(fs, "target");
                if ("ram".equals(type) && source != null && target != null) {
                    long usage = scaled(Long.parseLong(source.getAttribute("usage").strip()), source.getAttribute("units"));
                    mounts.add(new Mount(null, target.getAttribute("dir"), child(fs, "readonly") != null, usage));
                    continue;
                }
                if (!"mount".equals(type)) {
                    throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.LXC,
                        "Unexpected filesystem type " + type);
                }
                mounts.add(new Mount(source == null ? null : source.getAttribute("dir"),
                    target == null ? null : target.getAttribute("dir"), child(fs, "readonly") != null));
            }
            for (Element nic : children(devices, "interface")) {
                String type = nic.getAttribute("type");
                Element source = child(nic, "source");
                Element mac = child(nic, "mac");
                Element target = child(nic, "target");
                String from = source == null ? null
                    : "network".equals(type) ? source.getAttribute("network") : source.getAttribute("bridge");
                nics.add(new Nic(type, from, mac == null ? null : mac.getAttribute("address"),
                    target == null || target.getAttribute("dev").isEmpty() ? null : target.getAttribute("dev")));
            }
        }
        return new ContainerDef(text(child(root, "name")), text(child(root, "uuid")), osType, init, List.copyOf(args),
            env, initDir, initUser, List.copyOf(mounts), kib(child(root, "memory")), hardLimit(root),
            List.copyOf(nics));
    }

    /** The directory mounted as the container's root, or null when the definition has none. */
    public Mount rootMount() {
        return mounts.stream().filter(m -> "/".equals(m.target())).findFirst().orElse(null);
    }

    /** The limit the memory cgroup enforces: memtune's hard_limit where set, else the domain's memory. */
    public long limitKiB() {
        return hardLimitKiB > 0 ? hardLimitKiB : memoryKiB;
    }

    private static long hardLimit(Element root) {
        Element memtune = child(root, "memtune");
        return memtune == null ? 0 : kib(child(memtune, "hard_limit"));
    }

    /** A scaled memory element in KiB (the model wrote it in KiB; other units are converted anyway). */
    private static long kib(Element e) {
        if (e == null) {
            return 0;
        }
        return scaled(Long.parseLong(text(e).strip()), e.getAttribute("unit"));
    }

    /** A value in libvirt's scaled units (KiB when none is given) converted to KiB. */
    private static long scaled(long value, String unit) {
        return switch (unit.isEmpty() ? "KiB" : unit) {
            case "b", "bytes" -> value / 1024;
            case "KB" -> value * 1000 / 1024;
            case "k", "KiB" -> value;
            case "MB" -> value * 1_000_000 / 1024;
            case "M", "MiB" -> value * 1024;
            case "G", "GiB" -> value * 1024 * 1024;
            default -> value;
        };
    }

    private static Document document(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.LXC, "cannot read the domain XML: "
                + e.getMessage());
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getTagName())) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getTagName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent();
    }
}
