package org.jvirtd.driver.qemu.internal.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.model.domain.DomainXml;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Element;

/**
 * Reads a {@link GuestDef} from domain XML: the model parses and checks the document, this adapter reads
 * the parts the model does not type yet.
 */
public final class GuestXml {
    private GuestXml() {
    }

    /** Parses a definition; {@code id} is the run's id (-1 while inactive). */
    public static GuestDef parse(String xml, int id) {
        return parse(xml, DomainXml.parse(xml, DomainXml.INACTIVE), id);
    }

    /**
     * Reads a definition the model has already parsed from {@code xml} (with {@link DomainXml#INACTIVE}), so a
     * define parses the document once for both this and the post-parse pass.
     */
    public static GuestDef parse(String xml, DomainDef def, int id) {
        if (def.memoryKiB() == 0) {
            throw VirtErrors.xml("Memory size must be specified via <memory> or in the <numa> configuration");
        }
        Element root = SafeXml.parseRoot(xml, "domain", ErrorDomain.DOMAIN, "domain_definition");
        Element devices = Dom.child(root, "devices");
        return new GuestDef(def.type(), id, def.name(), def.uuid(), def.memoryKiB(), def.vcpus(), def.currentVcpus(),
            os(Dom.child(root, "os")), cpu(Dom.child(root, "cpu")),
            Dom.child(Dom.child(root, "features"), "acpi") != null,
            "on".equals(Dom.attr(Dom.child(Dom.child(root, "features"), "smm"), "state")),
            hyperv(Dom.child(Dom.child(root, "features"), "hyperv")),
            Dom.attr(Dom.child(Dom.child(root, "features"), "vmport"), "state"), clock(Dom.child(root, "clock")),
            orDefault(Dom.childText(root, "on_poweroff"), "destroy"), orDefault(Dom.childText(root, "on_reboot"), "restart"),
            orDefault(Dom.childText(root, "on_crash"), "destroy"), pm(Dom.child(root, "pm")),
            memoryBacking(Dom.child(root, "memoryBacking")), DeviceXml.devices(devices), smbios(root),
            iothreadIds(root), numa(Dom.child(Dom.child(root, "cpu"), "numa")),
            cpuFlags(Dom.child(root, "features")),
            Dom.attr(Dom.child(Dom.child(root, "features"), "pmu"), "state"),
            "on".equals(Dom.attr(Dom.child(Dom.child(root, "features"), "vmcoreinfo"), "state")),
            numaTune(Dom.child(Dom.child(root, "numatune"), "memory")),
            Dom.attr(Dom.child(Dom.child(root, "features"), "ioapic"), "driver"), extras(root, devices));
    }

    private static GuestDef.CpuFlags cpuFlags(Element features) {
        if (features == null) {
            return GuestDef.CpuFlags.NONE;
        }
        Element pvspinlock = Dom.child(features, "pvspinlock");
        java.util.Map<String, String> kvm = new java.util.LinkedHashMap<>();
        Element kvmElement = Dom.child(features, "kvm");
        if (kvmElement != null) {
            for (Element f : Dom.children(kvmElement, null)) {
                kvm.put(f.getTagName(), orDefault(Dom.attr(f, "state"), "off"));
            }
        }
        return new GuestDef.CpuFlags(Dom.attr(Dom.child(features, "apic"), "eoi"),
            pvspinlock == null ? null : orDefault(Dom.attr(pvspinlock, "state"), "on"), kvm,
            Dom.attr(Dom.child(kvmElement, "dirty-ring"), "size"));
    }

    /** A size the model has already checked, in bytes: libvirt's units, {@code scale} when none is given. */
    private static long bytes(String text, String unit, long scale) {
        long value = Long.parseLong(text.strip());
        if (unit == null) {
            return value * scale;
        }
        String u = unit.strip();
        int power = switch (Character.toLowerCase(u.isEmpty() ? 'b' : u.charAt(0))) {
            case 'k' -> 1;
            case 'm' -> 2;
            case 'g' -> 3;
            case 't' -> 4;
            case 'p' -> 5;
            case 'e' -> 6;
            default -> 0;
        };
        long base = u.length() == 2 && Character.toUpperCase(u.charAt(1)) == 'B' && power > 0 ? 1000 : 1024;
        for (int i = 0; i < power; i++) {
            value *= base;
        }
        return value;
    }

    private static final String QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0";

    private static GuestDef.Extras extras(Element root, Element devices) {
        Element tseg = Dom.child(Dom.child(Dom.child(root, "features"), "smm"), "tseg");
        Integer tsegMiB = tseg == null || Dom.text(tseg) == null ? null
            : (int) (bytes(Dom.text(tseg), Dom.attr(tseg, "unit"), 1 << 20) >> 20);
        Long hole = null;
        for (Element c : Dom.children(devices, "controller")) {
            Element h = Dom.child(c, "pcihole64");
            if ("pci".equals(Dom.attr(c, "type")) && h != null && Dom.text(h) != null) {
                hole = bytes(Dom.text(h), Dom.attr(h, "unit"), 1024) / 1024;
            }
        }
        String genid = Dom.childText(root, "genid");
        List<String[]> tables = new ArrayList<>();
        for (Element t : Dom.children(Dom.child(Dom.child(root, "os"), "acpi"), "table")) {
            if (Dom.attr(t, "type") != null && Dom.text(t) != null) {
                tables.add(new String[] {Dom.attr(t, "type").toUpperCase(java.util.Locale.ROOT), Dom.text(t).strip()});
            }
        }
        List<String> args = new ArrayList<>();
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Element c : Dom.children(root, null)) {
            if (!QEMU_NS.equals(c.getNamespaceURI()) && !c.getTagName().endsWith(":commandline")) {
                continue;
            }
            for (Element a : Dom.children(c, null)) {
                String local = a.getLocalName() != null ? a.getLocalName() : a.getTagName().replaceFirst(".*:", "");
                if (local.equals("arg") && Dom.attr(a, "value") != null) {
                    args.add(Dom.attr(a, "value"));
                } else if (local.equals("env") && Dom.attr(a, "name") != null) {
                    env.put(Dom.attr(a, "name"), Dom.attr(a, "value") == null ? "" : Dom.attr(a, "value"));
                }
            }
        }
        List<GuestDef.Audio> audios = new ArrayList<>();
        for (Element a : Dom.children(devices, "audio")) {
            audios.add(new GuestDef.Audio(Dom.number(Dom.attr(a, "id"), 1), Dom.attr(a, "type"), attrs(a),
                direction(Dom.child(a, "input")), direction(Dom.child(a, "output"))));
        }
        Element max = Dom.child(root, "maxMemory");
        Long maxKiB = max == null || Dom.text(max) == null ? null : bytes(Dom.text(max), Dom.attr(max, "unit"), 1024) / 1024;
        long hotplugKiB = 0;
        List<GuestDef.MemoryDevice> memoryDevices = new ArrayList<>();
        for (Element m : Dom.children(devices, "memory")) {
            Element target = Dom.child(m, "target");
            long sizeKiB = sizeKiB(Dom.child(target, "size"));
            hotplugKiB += sizeKiB;
            Element source = Dom.child(m, "source");
            String node = Dom.childText(target, "node");
            String slot = Dom.attr(Dom.child(m, "address"), "slot");
            memoryDevices.add(new GuestDef.MemoryDevice(Dom.attr(m, "model"), Dom.attr(m, "access"),
                Dom.attr(m, "discard"), Dom.childText(source, "path"), Dom.child(source, "pmem") != null,
                sizeKiB(Dom.child(source, "pagesize")), sizeKiB, node == null ? null : Dom.number(node, 0),
                sizeKiB(Dom.child(Dom.child(target, "label"), "size")), Dom.child(target, "readonly") != null,
                slot == null ? null : Dom.number(slot, 0)));
        }
        return new GuestDef.Extras(tsegMiB, hole, genid == null || genid.isBlank() ? null : genid.strip(), tables,
            args, env, audios, maxKiB, max == null ? null : Dom.number(Dom.attr(max, "slots")), hotplugKiB,
            memoryDevices, Dom.childAttr(root, "memory", "dumpCore"), iothreadPools(root),
            threadPool(Dom.child(root, "defaultiothread")));
    }

    private static java.util.Map<Integer, GuestDef.ThreadPool> iothreadPools(Element root) {
        java.util.Map<Integer, GuestDef.ThreadPool> pools = new java.util.HashMap<>();
        for (Element t : Dom.children(Dom.child(root, "iothreadids"), "iothread")) {
            GuestDef.ThreadPool pool = threadPool(t);
            Integer id = Dom.number(Dom.attr(t, "id"));
            if (id != null && pool != null) {
                pools.put(id, pool);
            }
        }
        return pools;
    }

    private static GuestDef.ThreadPool threadPool(Element e) {
        Integer min = Dom.number(Dom.attr(e, "thread_pool_min"));
        Integer max = Dom.number(Dom.attr(e, "thread_pool_max"));
        return min == null && max == null ? null : new GuestDef.ThreadPool(min, max);
    }

    /** A size element in KiB (libvirt's units, KiB when none), 0 when absent. */
    private static long sizeKiB(Element size) {
        return size == null || Dom.text(size) == null || Dom.text(size).isEmpty() ? 0
            : bytes(Dom.text(size), Dom.attr(size, "unit"), 1024) / 1024;
    }

    private static Map<String, String> attrs(Element e) {
        Map<String, String> result = new java.util.LinkedHashMap<>();
        if (e != null) {
            for (int i = 0; i < e.getAttributes().getLength(); i++) {
                org.w3c.dom.Node a = e.getAttributes().item(i);
                result.put(a.getNodeName(), a.getNodeValue());
            }
        }
        return result;
    }

    private static Map<String, String> direction(Element e) {
        Map<String, String> result = attrs(e);
        result.putAll(attrs(Dom.child(e, "settings")));
        return result;
    }

    private static GuestDef.NumaTune numaTune(Element memory) {
        String nodeset = Dom.attr(memory, "nodeset");
        if (memory == null || nodeset == null) {
            return GuestDef.NumaTune.NONE;
        }
        List<Integer> nodes = new ArrayList<>();
        for (String part : nodeset.split(",")) {
            String[] range = part.strip().split("-");
            int from = Integer.parseInt(range[0].strip());
            int to = range.length > 1 ? Integer.parseInt(range[1].strip()) : from;
            for (int n = from; n <= to; n++) {
                nodes.add(n);
            }
        }
        return new GuestDef.NumaTune(orDefault(Dom.attr(memory, "mode"), "strict"), nodes);
    }

    private static List<GuestDef.NumaCell> numa(Element numa) {
        List<GuestDef.NumaCell> cells = new java.util.ArrayList<>();
        List<Element> elements = Dom.children(numa, "cell");
        for (int i = 0; i < elements.size(); i++) {
            Element cell = elements.get(i);
            java.util.Map<Integer, Integer> distances = new java.util.LinkedHashMap<>();
            for (Element sibling : Dom.children(Dom.child(cell, "distances"), "sibling")) {
                distances.put(Integer.valueOf(Dom.attr(sibling, "id").strip()),
                    Integer.valueOf(Dom.attr(sibling, "value").strip()));
            }
            String id = Dom.attr(cell, "id");
            cells.add(new GuestDef.NumaCell(id == null ? i : Integer.parseInt(id.strip()), Dom.attr(cell, "cpus"),
                scaleKiB(Long.parseLong(Dom.attr(cell, "memory").strip()), Dom.attr(cell, "unit")), distances,
                Dom.attr(cell, "memAccess"), Dom.attr(cell, "discard")));
        }
        return cells;
    }

    /** The I/O threads' ids: those {@code <iothreadids>} names, else 1 to {@code <iothreads>}. */
    private static List<Integer> iothreadIds(Element root) {
        List<Integer> ids = new java.util.ArrayList<>();
        for (Element t : Dom.children(Dom.child(root, "iothreadids"), "iothread")) {
            ids.add(Integer.valueOf(Dom.attr(t, "id").strip()));
        }
        String count = Dom.childText(root, "iothreads");
        int total = count == null || count.isBlank() ? 0 : Integer.parseInt(count.strip());
        for (int id = 1; ids.size() < total; id++) {
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static GuestDef.Smbios smbios(Element root) {
        String mode = Dom.attr(Dom.child(Dom.child(root, "os"), "smbios"), "mode");
        Element sysinfo = Dom.children(root, "sysinfo").stream().filter(e -> "smbios".equals(Dom.attr(e, "type")))
            .findFirst().orElse(null);
        if (mode == null && sysinfo == null) {
            return GuestDef.Smbios.NONE;
        }
        return new GuestDef.Smbios(mode, entries(Dom.child(sysinfo, "bios")), entries(Dom.child(sysinfo, "system")),
            Dom.children(sysinfo, "baseBoard").stream().map(GuestXml::entries).toList(),
            entries(Dom.child(sysinfo, "chassis")),
            Dom.children(Dom.child(sysinfo, "oemStrings"), "entry").stream().map(Dom::text).toList());
    }

    private static java.util.Map<String, String> entries(Element table) {
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        for (Element entry : Dom.children(table, "entry")) {
            values.put(Dom.attr(entry, "name"), Dom.text(entry));
        }
        return values;
    }

    private static GuestDef.Hyperv hyperv(Element hyperv) {
        if (hyperv == null) {
            return GuestDef.Hyperv.NONE;
        }
        java.util.Set<String> on = new java.util.LinkedHashSet<>();
        for (Element feature : Dom.children(hyperv, null)) {
            if ("on".equals(Dom.attr(feature, "state"))) {
                on.add(feature.getTagName());
            }
        }
        Element spinlocks = Dom.child(hyperv, "spinlocks");
        String retries = Dom.attr(spinlocks, "retries");
        Element stimerDirect = Dom.child(Dom.child(hyperv, "stimer"), "direct");
        return new GuestDef.Hyperv(orDefault(Dom.attr(hyperv, "mode"), "custom"), on,
            retries == null ? null : Integer.valueOf(retries.strip()), Dom.attr(Dom.child(hyperv, "vendor_id"), "value"),
            "on".equals(Dom.attr(stimerDirect, "state")));
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static GuestDef.Os os(Element os) {
        Element type = Dom.child(os, "type");
        List<String> boots = new ArrayList<>();
        Dom.children(os, "boot").forEach(b -> boots.add(Dom.attr(b, "dev")));
        Element loader = Dom.child(os, "loader");
        GuestDef.Loader firmware = loader == null ? null : new GuestDef.Loader(Dom.text(loader),
            Dom.attr(loader, "type"), Dom.yesNo(Dom.attr(loader, "readonly")), Dom.yesNo(Dom.attr(loader, "secure")),
            Dom.yesNo(Dom.attr(loader, "stateless")));
        Element nvram = Dom.child(os, "nvram");
        String nvramPath = nvram == null ? null
            : Dom.childAttr(nvram, "source", "file") != null ? Dom.childAttr(nvram, "source", "file") : Dom.text(nvram);
        return new GuestDef.Os(orDefault(Dom.attr(type, "arch"), "x86_64"), Dom.attr(type, "machine"), boots,
            Dom.childText(os, "kernel"), Dom.childText(os, "initrd"), Dom.childText(os, "cmdline"), firmware,
            nvram == null ? null : nvramPath, Dom.attr(nvram, "template"), Dom.yesNo(Dom.childAttr(os, "bootmenu", "enable")),
            Dom.number(Dom.childAttr(os, "bootmenu", "timeout")), "yes".equals(Dom.childAttr(os, "bios", "useserial")),
            Dom.number(Dom.childAttr(os, "bios", "rebootTimeout")));
    }

    private static GuestDef.Cpu cpu(Element cpu) {
        if (cpu == null) {
            return null;
        }
        Element topology = Dom.child(cpu, "topology");
        GuestDef.Topology topo = topology == null ? null : new GuestDef.Topology(
            Dom.number(Dom.attr(topology, "sockets"), 1), Dom.number(Dom.attr(topology, "dies"), 1),
            Dom.number(Dom.attr(topology, "cores"), 1), Dom.number(Dom.attr(topology, "threads"), 1));
        List<GuestDef.CpuFeature> features = Dom.children(cpu, "feature").stream()
            .map(f -> new GuestDef.CpuFeature(orDefault(Dom.attr(f, "policy"), "require"), Dom.attr(f, "name")))
            .toList();
        Element model = Dom.child(cpu, "model");
        String mode = Dom.attr(cpu, "mode");
        if (mode == null) {
            mode = model == null ? null : "custom";
        }
        return new GuestDef.Cpu(mode, Dom.text(model), Dom.attr(model, "fallback"), topo, features,
            Dom.attr(cpu, "migratable"));
    }

    private static GuestDef.Clock clock(Element clock) {
        List<GuestDef.Timer> timers = Dom.children(clock, "timer").stream()
            .map(t -> new GuestDef.Timer(Dom.attr(t, "name"), Dom.attr(t, "tickpolicy"),
                Dom.yesNo(Dom.attr(t, "present")), Dom.attr(t, "track")))
            .toList();
        String start = Dom.attr(clock, "start");
        Long startSeconds = null;
        if (start != null) {
            try {
                startSeconds = Long.valueOf(start.strip());
            } catch (NumberFormatException e) {
                startSeconds = null; // the model refuses such a definition before it gets here
            }
        }
        return new GuestDef.Clock(orDefault(Dom.attr(clock, "offset"), "utc"), startSeconds, timers);
    }

    private static GuestDef.Pm pm(Element pm) {
        return new GuestDef.Pm(Dom.yesNo(Dom.childAttr(pm, "suspend-to-mem", "enabled")),
            Dom.yesNo(Dom.childAttr(pm, "suspend-to-disk", "enabled")));
    }

    private static GuestDef.MemoryBacking memoryBacking(Element backing) {
        Element hugepages = Dom.child(backing, "hugepages");
        long pageKiB = 0;
        Element page = Dom.child(hugepages, "page");
        if (page != null) {
            pageKiB = scaleKiB(Long.parseLong(Dom.attr(page, "size").strip()), Dom.attr(page, "unit"));
        }
        return new GuestDef.MemoryBacking(hugepages != null, pageKiB, Dom.child(backing, "locked") != null,
            Dom.childAttr(backing, "access", "mode"), Dom.childAttr(backing, "source", "type"),
            "immediate".equals(Dom.childAttr(backing, "allocation", "mode")), Dom.child(backing, "discard") != null,
            Dom.child(backing, "nosharepages") != null);
    }

    /** A size with a libvirt unit in KiB (the unit defaults to KiB). */
    static long scaleKiB(long value, String unit) {
        String u = unit == null ? "kib" : unit.toLowerCase();
        return switch (u) {
            case "b", "bytes" -> value / 1024;
            case "m", "mib" -> value * 1024;
            case "g", "gib" -> value * 1024 * 1024;
            case "mb" -> value * 1000 * 1000 / 1024;
            case "kb" -> value * 1000 / 1024;
            default -> value;
        };
    }
}
