package org.jvirtd.model.domain.qemu;

import java.util.List;

import org.jvirtd.model.internal.XmlNode;

/**
 * The domain document under the post-parse pass, with the facts every step asks about: architecture, machine
 * type, accelerator and capabilities, and the device list.
 */
final class Guest {
    final XmlNode root;
    final XmlNode devices;
    final QemuCaps caps;
    final QemuDefaultsConfig config;

    Guest(XmlNode root, QemuCaps caps, QemuDefaultsConfig config) {
        this.root = root;
        this.caps = caps;
        this.config = config;
        XmlNode d = root.child("devices");
        if (d == null) {
            d = new XmlNode("devices", null);
            root.children().add(d);
        }
        this.devices = d;
    }

    XmlNode osType() {
        XmlNode os = root.child("os");
        return os == null ? null : os.child("type");
    }

    String arch() {
        XmlNode type = osType();
        return type == null || type.attr("arch") == null ? "" : type.attr("arch");
    }

    String machine() {
        XmlNode type = osType();
        return type == null || type.attr("machine") == null ? "" : type.attr("machine");
    }

    /** The accelerator whose machine list applies: kvm for type='kvm', tcg otherwise. */
    String virtType() {
        return "kvm".equals(root.attr("type")) ? "kvm" : "tcg";
    }

    boolean isTcg() {
        return "qemu".equals(root.attr("type"));
    }

    boolean isX86() {
        return arch().equals("x86_64") || arch().equals("i686");
    }

    boolean isPpc64() {
        return arch().startsWith("ppc64");
    }

    boolean isS390() {
        return arch().startsWith("s390");
    }

    boolean isArm() {
        return arch().startsWith("arm") || arch().equals("aarch64");
    }

    boolean isRiscv() {
        return arch().startsWith("riscv");
    }

    boolean isQ35() {
        return isX86() && (machine().equals("q35") || machine().startsWith("pc-q35"));
    }

    boolean isI440fx() {
        String m = machine();
        return isX86() && (m.equals("pc") || m.startsWith("pc-0.") || m.startsWith("pc-1.")
            || m.startsWith("pc-i440fx-") || m.startsWith("rhel"));
    }

    boolean isPSeries() {
        return isPpc64() && (machine().equals("pseries") || machine().startsWith("pseries-"));
    }

    boolean isArmVirt() {
        return isArm() && (machine().equals("virt") || machine().startsWith("virt-"));
    }

    boolean isRiscvVirt() {
        return isRiscv() && (machine().equals("virt") || machine().startsWith("virt-"));
    }

    boolean isS390Ccw() {
        return isS390() && machine().startsWith("s390-ccw");
    }

    /** qemuDomainSupportsPCI: everything but ARM and RISC-V boards without a generic PCIe host. */
    boolean supportsPci() {
        if (!isArm() && !isRiscv()) {
            return true;
        }
        if (machine().equals("versatilepb")) {
            return true;
        }
        return (isArmVirt() || isRiscvVirt()) && caps.has("gpex-pcihost");
    }

    List<XmlNode> list(String element) {
        return devices.children(element);
    }

    void append(XmlNode device) {
        devices.children().add(device);
    }

    List<XmlNode> controllers(String type) {
        return devices.children("controller").stream().filter(c -> type.equals(c.attr("type"))).toList();
    }

    XmlNode controller(String type, int index) {
        return controllers(type).stream().filter(c -> index(c) == index).findFirst().orElse(null);
    }

    static int index(XmlNode controller) {
        String idx = controller.attr("index");
        return idx == null ? -1 : Integer.parseInt(idx.strip());
    }

    /** Adds a controller after the existing ones, as libvirt does for the controllers it adds itself. */
    void appendController(XmlNode controller) {
        List<XmlNode> all = devices.children("controller");
        List<XmlNode> children = devices.children();
        if (all.isEmpty()) {
            children.add(controller);
        } else {
            children.add(children.indexOf(all.get(all.size() - 1)) + 1, controller);
        }
    }

    /** Adds a controller of the type and index unless one exists; true when one was added. */
    boolean addControllerIfMissing(String type, int index, String model) {
        if (controller(type, index) != null) {
            return false;
        }
        XmlNode c = new XmlNode("controller", null).set("type", type).set("index", Integer.toString(index));
        if (model != null) {
            c.set("model", model);
        }
        appendController(c);
        return true;
    }
}
