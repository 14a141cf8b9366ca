package org.jvirtd.model.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.jvirtd.model.internal.XmlNode;

/**
 * Brings a parsed domain document into libvirt's canonical form: element order, the defaults libvirt fills in,
 * and the per-device rules of {@link DeviceRules}.
 */
final class DomainCanonicalizer {
    private static final List<String> ROOT_ORDER = List.of("name", "uuid", "genid", "title", "description",
        "metadata", "maxMemory", "memory", "currentMemory", "blkiotune", "memtune", "memoryBacking", "vcpu", "vcpus",
        "iothreads", "iothreadids", "defaultiothread", "cputune", "numatune", "resource", "sysinfo", "bootloader",
        "bootloader_args", "os", "idmap", "features", "cpu", "clock", "on_poweroff", "on_reboot", "on_crash",
        "on_lockfailure", "pm", "perf", "devices", "seclabel", "keywrap", "launchSecurity");
    private static final List<String> OS_BEFORE_BOOT = List.of("type", "firmware", "loader", "nvram", "kernel",
        "initrd", "cmdline", "shim", "dtb", "acpi");

    private DomainCanonicalizer() {
    }

    static void apply(XmlNode root, UUID uuid, long memoryKiB, long currentKiB, int vcpus, boolean orderControllers) {
        root.removeIf(c -> c.is("uuid"));
        root.insert(0, textNode("uuid", uuid.toString()));
        setMemory(root, "memory", memoryKiB);
        setMemory(root, "currentMemory", currentKiB);
        inKiB(root.child("maxMemory"), "./maxMemory[1]");
        XmlNode devicesForSizes = root.child("devices");
        if (devicesForSizes != null) {
            for (XmlNode memory : devicesForSizes.children("memory")) {
                XmlNode target = memory.child("target");
                if (target != null) {
                    for (String size : List.of("size", "requested", "block")) {
                        inKiB(target.child(size), "./devices/memory/target/" + size);
                    }
                    XmlNode label = target.child("label");
                    inKiB(label == null ? null : label.child("size"), "./devices/memory/target/label/size");
                }
            }
        }
        XmlNode cpuForCells = root.child("cpu");
        XmlNode numaForCells = cpuForCells == null ? null : cpuForCells.child("numa");
        if (numaForCells != null) {
            for (XmlNode cell : numaForCells.children("cell")) {
                String memory = cell.attr("memory");
                if (memory != null && memory.strip().matches("\\d{1,19}")) {
                    long bytes = org.jvirtd.model.internal.ScaledInteger.toBytes(org.jvirtd.api.ErrorDomain.DOMAIN,
                        "./cpu/numa/cell/@memory", memory.strip(), cell.attr("unit"), 1024, Long.MAX_VALUE);
                    cell.set("memory", Long.toString(bytes / 1024));
                    cell.set("unit", "KiB");
                    cell.orderAttributes(List.of("id", "cpus", "memory", "unit", "memAccess", "discard"));
                }
            }
        }
        memtuneInKiB(root, root.child("memtune"));
        XmlNode vcpu = root.child("vcpu");
        if (vcpu == null) {
            vcpu = textNode("vcpu", Integer.toString(vcpus));
            root.children().add(vcpu);
        }
        vcpu.setText(Integer.toString(vcpus));
        if (!vcpu.has("placement")) {
            vcpu.set("placement", "static");
        }
        vcpu.orderAttributes(List.of("placement", "cpuset", "current"));
        XmlNode os = root.child("os");
        XmlNode devices = root.child("devices");
        if (os != null) {
            canonicalOs(os, devices);
        }
        addIfMissing(root, "clock", new XmlNode("clock", null).set("offset", "utc"));
        addIfMissing(root, "on_poweroff", textNode("on_poweroff", "destroy"));
        addIfMissing(root, "on_reboot", textNode("on_reboot", "restart"));
        addIfMissing(root, "on_crash", textNode("on_crash", "destroy"));
        hostCpuModel(root.child("cpu"));
        CpuTuneRules.apply(root.child("cputune"), vcpus);
        NumaRules.apply(root);
        if (devices != null) {
            DeviceRules.apply(devices, orderControllers);
        }
        sortByOrder(root, ROOT_ORDER);
    }

    /**
     * A host CPU mode's {@code <model>} that names no model and keeps the default fallback says nothing: libvirt
     * does not write it.
     */
    private static void hostCpuModel(XmlNode cpu) {
        String mode = cpu == null ? null : cpu.attr("mode");
        if (mode == null || !(mode.equals("host-model") || mode.equals("host-passthrough") || mode.equals("maximum"))) {
            return;
        }
        cpu.removeIf(c -> c.is("model") && c.namespace() == null && (c.text() == null || c.text().isBlank())
            && (!c.has("fallback") || "allow".equals(c.attr("fallback"))) && !c.has("vendor_id"));
    }

    /** The children of {@code <os>} in libvirt's formatter order. */
    private static final List<String> OS_ORDER = List.of("type", "firmware", "init", "initarg", "initenv", "initdir",
        "inituser", "initgroup", "loader", "nvram", "kernel", "initrd", "cmdline", "shim", "dtb", "acpi", "boot",
        "bootmenu", "smbios", "bios");

    private static void canonicalOs(XmlNode os, XmlNode devices) {
        sortByOrder(os, OS_ORDER);
        XmlNode bootmenu = os.child("bootmenu");
        if (bootmenu != null && !"yes".equals(bootmenu.attr("enable"))) {
            bootmenu.set("timeout", null); // libvirt keeps a timeout only for a menu that is shown
        }
        XmlNode type = os.child("type");
        if (type == null) {
            return;
        }
        String osType = type.text() == null ? "" : type.text().strip();
        if (!type.has("arch") && (osType.equals("hvm") || osType.equals("exe"))) {
            type.set("arch", "x86_64");
        }
        type.orderAttributes(List.of("arch", "machine"));
        boolean deviceBoot = devices != null && devices.children().stream()
            .anyMatch(d -> d.child("boot") != null);
        // libvirt adds it for direct kernel boot too: the firmware boots the disk when the kernel is gone.
        if (osType.equals("hvm") && os.child("boot") == null && !deviceBoot) {
            int index = 0;
            for (int i = 0; i < os.children().size(); i++) {
                if (OS_BEFORE_BOOT.contains(os.children().get(i).name())) {
                    index = i + 1;
                }
            }
            os.insert(index, new XmlNode("boot", null).set("dev", "hd"));
        }
    }

    /** A size element written in KiB, as libvirt writes every memory size it stores. */
    private static void inKiB(XmlNode e, String where) {
        if (e == null || e.text() == null || !e.text().strip().matches("\\d{1,19}")) {
            return;
        }
        long bytes = org.jvirtd.model.internal.ScaledInteger.toBytes(org.jvirtd.api.ErrorDomain.DOMAIN, where,
            e.text().strip(), e.attr("unit"), 1024, Long.MAX_VALUE);
        e.set("unit", "KiB");
        e.setText(Long.toString(bytes / 1024));
    }

    static void setMemory(XmlNode root, String element, long kib) {
        XmlNode e = root.child(element);
        if (e == null) {
            if (kib == 0) {
                return;
            }
            e = new XmlNode(element, null);
            root.children().add(e);
        }
        e.set("unit", "KiB");
        e.orderAttributes(List.of("dumpCore", "unit"));
        e.setText(Long.toString(kib));
    }

    /** libvirt keeps {@code <memtune>} limits in KiB and writes them so, whatever unit they were given in. */
    /** libvirt's "no limit" for memory tunables: 2^53-1 KiB (VIR_DOMAIN_MEMORY_PARAM_UNLIMITED). */
    private static final long UNLIMITED_KIB = (1L << 53) - 1;

    /** Limits in KiB, in libvirt's order; an unlimited one is not written, nor a memtune left empty. */
    private static void memtuneInKiB(XmlNode root, XmlNode memtune) {
        if (memtune == null) {
            return;
        }
        for (XmlNode limit : memtune.children()) {
            if (limit.text() != null && !limit.text().isBlank()) {
                long bytes = org.jvirtd.model.internal.ScaledInteger.toBytes(org.jvirtd.api.ErrorDomain.DOMAIN,
                    limit.name(), limit.text().strip(), limit.attr("unit"), 1024, Long.MAX_VALUE);
                limit.set("unit", "KiB");
                limit.setText(Long.toString(Math.min(bytes / 1024, UNLIMITED_KIB)));
            }
        }
        memtune.removeIf(l -> l.namespace() == null && Long.toString(UNLIMITED_KIB).equals(l.text()));
        sortByOrder(memtune, List.of("hard_limit", "soft_limit", "min_guarantee", "swap_hard_limit"));
        if (memtune.children().isEmpty()) {
            root.removeIf(c -> c == memtune);
        }
    }

    private static void addIfMissing(XmlNode root, String name, XmlNode node) {
        if (root.child(name) == null) {
            root.children().add(node);
        }
    }

    static XmlNode textNode(String name, String text) {
        XmlNode node = new XmlNode(name, null);
        node.setText(text);
        return node;
    }

    /** Stable sort: listed elements in list order, unlisted libvirt elements after, namespaced ones last. */
    /** Stable sort of the children by their element's place in {@code order}; each rank is looked up once. */
    static void sortByOrder(XmlNode parent, List<String> order) {
        List<XmlNode> children = parent.children();
        int[] ranks = new int[children.size()];
        boolean sorted = true;
        for (int i = 0; i < ranks.length; i++) {
            ranks[i] = rank(children.get(i), order);
            sorted &= i == 0 || ranks[i - 1] <= ranks[i];
        }
        if (sorted) {
            return;
        }
        Integer[] positions = new Integer[ranks.length];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i;
        }
        Arrays.sort(positions, Comparator.comparingInt(i -> ranks[i]));
        List<XmlNode> inOrder = new ArrayList<>(children.size());
        for (Integer position : positions) {
            inOrder.add(children.get(position));
        }
        children.clear();
        children.addAll(inOrder);
    }

    private static int rank(XmlNode node, List<String> order) {
        if (node.namespace() != null) {
            return order.size() + 1;
        }
        int index = order.indexOf(node.name());
        return index < 0 ? order.size() : index;
    }
}
