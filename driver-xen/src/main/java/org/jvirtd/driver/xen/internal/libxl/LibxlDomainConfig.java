package org.jvirtd.driver.xen.internal.libxl;

import static org.jvirtd.driver.xen.internal.xl.Elements.attr;
import static org.jvirtd.driver.xen.internal.xl.Elements.child;
import static org.jvirtd.driver.xen.internal.xl.Elements.children;
import static org.jvirtd.driver.xen.internal.xl.Elements.path;
import static org.jvirtd.driver.xen.internal.xl.Elements.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongBinaryOperator;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.xen.internal.xl.CpuFeatureNames;
import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.model.domain.DomainXml;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Element;

/**
 * Domain XML to libxl's domain configuration (libxl_domain_config), as the JSON libxl itself writes: c_info,
 * b_info (with type.hvm or type.pv), disks, nics, pcidevs, vfbs, vkbs and the lifecycle actions. Fields left at
 * libxl's defaults are left out, as libxl's generator does. A pure function: the shadow memory libxl would compute
 * is asked of {@code shadowMemKb} (max memory KiB, vCPUs).
 */
public final class LibxlDomainConfig {
    /** libxl's own estimate (libxl_get_required_shadow_memory): 4 KiB * (256 per vCPU + 2 per MiB). */
    public static final LongBinaryOperator LIBXL_SHADOW = (maxKib, vcpus) -> 4 * (256 * vcpus + 2 * (maxKib / 1024));

    private final Element domain;
    private final Element devices;
    private final String osType;
    private final boolean hvm;
    private final LongBinaryOperator shadowMemKb;

    private LibxlDomainConfig(Element domain, LongBinaryOperator shadowMemKb) {
        this.domain = domain;
        this.devices = child(domain, "devices");
        this.osType = text(domain, "os", "type");
        this.hvm = "hvm".equals(osType);
        this.shadowMemKb = shadowMemKb;
    }

    /** The configuration for a domain XML document (parsed as an inactive definition). */
    public static Map<String, Object> build(String domainXml, LongBinaryOperator shadowMemKb) {
        DomainDef def = DomainXml.parse(domainXml, DomainXml.INACTIVE);
        String canonical = DomainXml.format(def, -1, DomainXml.INACTIVE | DomainXml.SECURE);
        Element root = SafeXml.parseRoot(canonical, "domain", ErrorDomain.DOMAIN, "domain_definition");
        return new LibxlDomainConfig(root, shadowMemKb).config();
    }

    private static String bool(boolean value) {
        return value ? "True" : "False";
    }

    private Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("c_info", createInfo());
        config.put("b_info", buildInfo());
        putList(config, "disks", LibxlDevices.disks(devices));
        putList(config, "nics", LibxlDevices.nics(devices, hvm));
        putList(config, "pcidevs", LibxlDevices.pcidevs(devices));
        List<Object> vfbs = LibxlDevices.vfbs(devices);
        putList(config, "vfbs", vfbs);
        if (!vfbs.isEmpty()) {
            config.put("vkbs", List.of(Map.of("devid", -1L)));
        }
        action(config, "on_poweroff");
        action(config, "on_reboot");
        action(config, "on_crash");
        return config;
    }

    private static void putList(Map<String, Object> map, String key, List<Object> list) {
        if (!list.isEmpty()) {
            map.put(key, list);
        }
    }

    private void action(Map<String, Object> config, String element) {
        String action = text(domain, element);
        if (action == null || action.equals("destroy")) {
            return;
        }
        config.put(element, switch (action) {
            case "rename-restart" -> "restart_rename";
            case "coredump-destroy" -> "coredump_destroy";
            case "coredump-restart" -> "coredump_restart";
            default -> action;
        });
    }

    private Map<String, Object> createInfo() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("type", hvm ? "hvm" : "xenpvh".equals(osType) ? "pvh" : "pv");
        Element hap = path(domain, "features", "hap");
        if (hap != null) {
            info.put("hap", bool(!"off".equals(attr(hap, "state"))));
        }
        info.put("name", text(domain, "name"));
        info.put("uuid", text(domain, "uuid"));
        return info;
    }

    private Map<String, Object> buildInfo() {
        Map<String, Object> b = new LinkedHashMap<>();
        Element vcpu = child(domain, "vcpu");
        long max = Long.parseLong(vcpu.getTextContent().strip());
        long current = attr(vcpu, "current") == null ? max : Long.parseLong(attr(vcpu, "current"));
        b.put("max_vcpus", max);
        List<Object> avail = new ArrayList<>();
        for (long i = 0; i < current; i++) {
            avail.add(i);
        }
        b.put("avail_vcpus", avail);
        clock(b);
        timers(b);
        long maxKib = Long.parseLong(text(domain, "memory"));
        b.put("max_memkb", maxKib);
        b.put("target_memkb", Long.parseLong(text(domain, "currentMemory")));
        Element video = child(devices, "video");
        boolean graphics = !children(devices, "graphics").isEmpty();
        if (hvm && (video != null || graphics)) {
            String vram = attr(child(video, "model"), "vram");
            b.put("video_memkb", vram == null ? 8192L : Long.parseLong(vram));
        }
        b.put("shadow_memkb", shadowMemKb.applyAsLong(maxKib, max));
        String emulator = text(devices, "emulator");
        if (emulator != null) {
            // the emulator is upstream QEMU: jvirtd, like libvirt 9.0 with current Xen, knows no other
            b.put("device_model_version", "qemu_xen");
            b.put("device_model", emulator);
        }
        String shares = text(domain, "cputune", "shares");
        b.put("sched_params", shares == null ? Map.of() : Map.of("weight", Long.parseLong(shares)));
        if (hvm) {
            b.put("apic", bool(child(child(domain, "features"), "apic") != null));
            b.put("acpi", bool(child(child(domain, "features"), "acpi") != null));
        }
        cpu(b);
        for (Element controller : children(devices, "controller")) {
            if ("xenbus".equals(attr(controller, "type"))) {
                if (attr(controller, "maxGrantFrames") != null) {
                    b.put("max_grant_frames", Long.parseLong(attr(controller, "maxGrantFrames")));
                }
                if (attr(controller, "maxEventChannels") != null) {
                    b.put("event_channels", Long.parseLong(attr(controller, "maxEventChannels")));
                }
            }
        }
        if (hvm) {
            b.put("type.hvm", LibxlHvmInfo.build(domain, devices));
        } else {
            b.put("type." + ("xenpvh".equals(osType) ? "pvh" : "pv"), pvInfo());
        }
        b.put("arch_arm", Map.of());
        return b;
    }

    /** The emulated clock: localtime, or a variable offset in seconds from UTC or local time. */
    private void clock(Map<String, Object> b) {
        Element clock = child(domain, "clock");
        String offset = clock == null ? "utc" : attr(clock, "offset");
        switch (offset) {
            case "utc" -> { }
            case "localtime" -> b.put("localtime", "True");
            case "variable" -> {
                if ("localtime".equals(attr(clock, "basis"))) {
                    b.put("localtime", "True");
                }
                String adjustment = attr(clock, "adjustment");
                b.put("rtc_timeoffset", adjustment == null ? 0L : Long.parseLong(adjustment));
            }
            default -> throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED,
                ErrorDomain.LIBXL, "unsupported clock offset '" + offset + "'");
        }
    }

    private void timers(Map<String, Object> b) {
        for (Element timer : children(child(domain, "clock"), "timer")) {
            if ("tsc".equals(attr(timer, "name"))) {
                String mode = attr(timer, "mode");
                b.put("tsc_mode", switch (mode == null ? "auto" : mode) {
                    case "native" -> "native";
                    case "emulate" -> "always_emulate";
                    case "paravirt" -> "native_paravirt";
                    default -> "default";
                });
            }
        }
    }

    private void cpu(Map<String, Object> b) {
        Element cpu = child(domain, "cpu");
        if (cpu == null) {
            return;
        }
        if (hvm && "host-passthrough".equals(attr(cpu, "mode"))) {
            boolean hwVirt = children(cpu, "feature").stream()
                .noneMatch(f -> ("vmx".equals(attr(f, "name")) || "svm".equals(attr(f, "name")))
                    && ("disable".equals(attr(f, "policy")) || "forbid".equals(attr(f, "policy"))));
            b.put("nested_hvm", bool(hwVirt));
        }
        if ("host-passthrough".equals(attr(cpu, "mode"))) {
            List<String[]> pairs = new ArrayList<>();
            for (Element feature : children(cpu, "feature")) {
                String name = CpuFeatureNames.toLibxl(attr(feature, "name"));
                if (name.equals("vmx") || name.equals("svm")) {
                    continue;
                }
                String policy = attr(feature, "policy");
                pairs.add(new String[] {name, switch (policy == null ? "require" : policy) {
                    case "optional" -> "x";
                    case "disable", "forbid" -> "0";
                    default -> "1";
                }});
            }
            if (!pairs.isEmpty()) {
                b.put("cpuid", LibxlCpuid.policy(pairs));
            }
        }
        List<Element> cells = children(child(cpu, "numa"), "cell");
        if (!cells.isEmpty()) {
            b.put("vnuma_nodes", LibxlNuma.nodes(cells));
        }
    }

    private Map<String, Object> pvInfo() {
        Map<String, Object> pv = new LinkedHashMap<>();
        putText(pv, "bootloader", text(domain, "bootloader"));
        String args = text(domain, "bootloader_args");
        if (args != null) {
            pv.put("bootloader_args", List.of(args.split(" ")));
        }
        putText(pv, "kernel", text(domain, "os", "kernel"));
        putText(pv, "ramdisk", text(domain, "os", "initrd"));
        putText(pv, "cmdline", text(domain, "os", "cmdline"));
        return pv;
    }

    static void putText(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
