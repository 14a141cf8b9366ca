package org.jvirtd.driver.xen.internal.xl;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * xl.cfg to domain XML (virsh domxml-from-native xen-xl): what libvirt 9.0 reads from each setting, followed by
 * the libxl driver's post-parse defaults (xenbus and IDE controllers, drive addresses, a serial console, implicit
 * mouse and keyboard, Cirrus video for HVM graphics, the Xen balloon). The result is the raw document; callers
 * bring it into canonical form through the model.
 */
final class XlToDomain {
    /** The libxl driver's floor for a guest's memory (MIN_XEN_GUEST_SIZE, MiB) and the default: twice that. */
    private static final long DEFAULT_MEMORY_MIB = 2 * 64;
    private static final List<String> ACTIONS = List.of("destroy", "restart", "rename-restart", "preserve",
        "coredump-destroy", "coredump-restart");
    static final String XEN_NAMESPACE = "http://libvirt.org/schemas/domain/xen/1.0";

    private final XlConfig cfg;
    private final String firmwareDir;
    private final XmlText xml = new XmlText();
    private final String osType;
    private final boolean hvm;

    private XlToDomain(XlConfig cfg, String firmwareDir) {
        this.cfg = cfg;
        this.firmwareDir = firmwareDir;
        this.osType = osType(cfg);
        this.hvm = osType.equals("hvm");
    }

    /** The domain XML for a config; {@code firmwareDir} is where OVMF lives (libxl's firmware directory). */
    static String convert(XlConfig cfg, String firmwareDir) {
        return new XlToDomain(cfg, firmwareDir).run();
    }

    private static String osType(XlConfig cfg) {
        String type = cfg.string("type");
        if (type != null) {
            return switch (type) {
                case "pv" -> "linux";
                case "pvh" -> "xenpvh";
                case "hvm" -> "hvm";
                default -> throw XenConversionErrors.unsupported("type " + type + " is not supported");
            };
        }
        return "hvm".equals(cfg.string("builder")) ? "hvm" : "linux";
    }

    private String run() {
        List<String> args = cfg.strings("device_model_args");
        xml.open("domain", "type", "xen", "xmlns:xen", args.isEmpty() ? null : XEN_NAMESPACE);
        String name = cfg.string("name");
        if (name == null) {
            throw XenConversionErrors.internal("config value name was missing");
        }
        xml.text("name", name);
        xml.text("uuid", uuid());
        long current = cfg.number("memory", DEFAULT_MEMORY_MIB);
        long max = cfg.number("maxmem", current);
        List<XlNuma.Cell> cells = XlNuma.parse(cfg);
        xml.text("memory", Long.toString(max * 1024), "unit", "KiB");
        xml.text("currentMemory", Long.toString(current * 1024), "unit", "KiB");
        vcpus(cells);
        os();
        features();
        cpu(cells);
        clock();
        xml.text("on_poweroff", action("on_poweroff", "destroy"));
        xml.text("on_reboot", action("on_reboot", "restart"));
        xml.text("on_crash", action("on_crash", "restart"));
        new XlDevicesToDomain(cfg, hvm, xml).write();
        if (!args.isEmpty()) {
            xml.open("xen:commandline");
            args.forEach(a -> xml.empty("xen:arg", "value", a));
            xml.close();
        }
        xml.close();
        return xml.toString();
    }

    private String uuid() {
        String uuid = cfg.string("uuid");
        if (uuid == null) {
            return UUID.randomUUID().toString();
        }
        if (uuid.isEmpty()) {
            throw XenConversionErrors.syntax("uuid can't be empty");
        }
        try {
            return UUID.fromString(uuid).toString();
        } catch (IllegalArgumentException e) {
            throw XenConversionErrors.syntax(uuid + " not parseable");
        }
    }

    private void vcpus(List<XlNuma.Cell> cells) {
        long vcpus = cfg.number("vcpus", 1);
        long max = cfg.has("maxvcpus") ? cfg.number("maxvcpus", 0) : vcpus;
        int numaVcpus = cells.stream().mapToInt(c -> XlNuma.countCpus(c.cpus())).sum();
        if (max < numaVcpus) {
            throw XenConversionErrors.unsupported("vnuma configuration contains " + numaVcpus
                + " vcpus, which is greater than " + max + " maxvcpus");
        }
        xml.text("vcpu", Long.toString(max), "placement", "static", "cpuset", cfg.string("cpus"), "current",
            vcpus < max ? Long.toString(vcpus) : null);
    }

    private String action(String setting, String absent) {
        String value = cfg.string(setting);
        if (value == null) {
            return absent;
        }
        if (!ACTIONS.contains(value)) {
            throw XenConversionErrors.internal("unexpected value " + value + " for " + setting);
        }
        return value;
    }

    private void os() {
        if (!hvm) {
            xml.text("bootloader", cfg.string("bootloader"));
            xml.text("bootloader_args", cfg.string("bootargs"));
        }
        xml.open("os");
        xml.text("type", osType, "arch", "x86_64", "machine", switch (osType) {
            case "hvm" -> "xenfv";
            case "xenpvh" -> "xenpvh";
            default -> "xenpv";
        });
        if (hvm) {
            if ("ovmf".equals(cfg.string("bios"))) {
                xml.text("loader", firmwareDir + "/ovmf.bin", "readonly", "yes", "type", "pflash");
            } else {
                xml.text("loader", "/usr/lib/xen/boot/hvmloader", "type", "rom");
            }
        }
        xml.text("kernel", cfg.string("kernel"));
        xml.text("initrd", cfg.string("ramdisk"));
        xml.text("cmdline", cmdline());
        String slic = hvm ? cfg.string("acpi_firmware") : null;
        if (slic != null) {
            xml.open("acpi").text("table", slic, "type", "slic").close();
        }
        if (hvm) {
            String boot = cfg.has("boot") ? cfg.string("boot") : "c";
            for (int i = 0; i < Math.min(boot.length(), 4); i++) {
                xml.empty("boot", "dev", switch (boot.charAt(i)) {
                    case 'a' -> "fd";
                    case 'd' -> "cdrom";
                    case 'n' -> "network";
                    default -> "hd";
                });
            }
        }
        xml.close();
    }

    /** cmdline, or else root= and extra= put together as xl does. */
    private String cmdline() {
        String cmdline = cfg.string("cmdline");
        String root = cfg.string("root");
        String extra = cfg.string("extra");
        if (cmdline != null) {
            return cmdline;
        }
        if (root != null && extra != null) {
            return "root=" + root + " " + extra;
        }
        return root != null ? "root=" + root : extra;
    }

    private void features() {
        List<Runnable> parts = new ArrayList<>();
        if (hvm) {
            if (cfg.bool("acpi", 1) == 1) {
                parts.add(() -> xml.empty("acpi"));
            }
            if (cfg.bool("apic", 1) == 1) {
                parts.add(() -> xml.empty("apic"));
            }
            if (cfg.bool("pae", 1) == 1) {
                parts.add(() -> xml.empty("pae"));
            }
            if (cfg.bool("hap", 1) == 0) {
                parts.add(() -> xml.empty("hap", "state", "off"));
            }
            if (cfg.bool("viridian", 0) == 1) {
                parts.add(() -> xml.empty("viridian"));
            }
        }
        boolean e820 = !hvm && cfg.bool("e820_host", 0) == 1;
        String passthrough = cfg.string("passthrough");
        if (passthrough != null && !List.of("disabled", "enabled", "sync_pt", "share_pt").contains(passthrough)) {
            throw XenConversionErrors.syntax("Invalid passthrough mode " + passthrough);
        }
        if (e820 || passthrough != null) {
            boolean on = e820 || !"disabled".equals(passthrough);
            parts.add(() -> {
                xml.open("xen", "state", on ? null : "off");
                if (e820) {
                    xml.empty("e820_host", "state", "on");
                }
                if (passthrough != null) {
                    boolean mode = passthrough.endsWith("_pt");
                    xml.empty("passthrough", "state", "disabled".equals(passthrough) ? "off" : "on", "mode",
                        mode ? passthrough : null);
                }
                xml.close();
            });
        }
        if (!parts.isEmpty()) {
            xml.open("features");
            parts.forEach(Runnable::run);
            xml.close();
        }
    }

    private void cpu(List<XlNuma.Cell> cells) {
        String mode = null;
        List<String[]> features = new ArrayList<>();
        int nested = hvm ? cfg.bool("nestedhvm", -1) : -1;
        if (nested != -1) {
            mode = "host-passthrough";
            if (nested == 0) {
                features.add(new String[] {"disable", "vmx"});
            }
        }
        if (!cells.isEmpty()) {
            mode = null;
            features.clear();
        }
        String cpuid = cfg.string("cpuid");
        if (cpuid != null) {
            if (mode == null && cells.isEmpty()) {
                mode = "host-passthrough";
            }
            cpuidFeatures(cpuid, features);
        }
        if (mode == null && features.isEmpty() && cells.isEmpty()) {
            return;
        }
        if (features.isEmpty() && cells.isEmpty()) {
            xml.empty("cpu", "mode", mode);
            return;
        }
        xml.open("cpu", "mode", mode);
        features.forEach(f -> xml.empty("feature", "policy", f[0], "name", f[1]));
        if (!cells.isEmpty()) {
            xml.open("numa");
            for (int i = 0; i < cells.size(); i++) {
                cells.get(i).write(xml, i);
            }
            xml.close();
        }
        xml.close();
    }

    private static void cpuidFeatures(String cpuid, List<String[]> features) {
        String[] pairs = cpuid.split(",");
        if (pairs.length == 0 || pairs[0].isEmpty()) {
            return;
        }
        if (!pairs[0].equals("host")) {
            throw XenConversionErrors.syntax("cpuid starting with " + pairs[0]
                + " is not supported, only libxl format is");
        }
        for (int i = 1; i < pairs.length; i++) {
            String[] nameValue = pairs[i].split("=", 2);
            if (nameValue.length < 2 || nameValue[0].isEmpty()) {
                throw XenConversionErrors.syntax("Invalid libxl cpuid key=value element: " + pairs[i]);
            }
            String policy = switch (nameValue[1]) {
                case "1" -> "force";
                case "0" -> "disable";
                case "x", "k", "s" -> "optional";
                default -> throw XenConversionErrors.syntax("Invalid libxl cpuid value: " + pairs[i]);
            };
            features.add(new String[] {policy, CpuFeatureNames.toLibvirt(nameValue[0])});
        }
    }

    private void clock() {
        boolean localtime = cfg.bool("localtime", 0) == 1;
        List<String[]> timers = new ArrayList<>();
        String tsc = cfg.string("tsc_mode");
        if (tsc != null) {
            timers.add(new String[] {"name", "tsc", "present", "yes", "mode", switch (tsc) {
                case "always_emulate" -> "emulate";
                case "native" -> "native";
                case "native_paravirt" -> "paravirt";
                default -> "auto";
            }});
        }
        int hpet = hvm ? cfg.bool("hpet", -1) : -1;
        if (hpet != -1) {
            timers.add(new String[] {"name", "hpet", "present", hpet == 1 ? "yes" : "no"});
        }
        String[] attrs = hvm
            ? new String[] {"offset", "variable", "adjustment", Long.toString((int) cfg.number("rtc_timeoffset", 0)),
                "basis", localtime ? "localtime" : "utc"}
            : new String[] {"offset", localtime ? "localtime" : "utc", "adjustment", "reset"};
        if (timers.isEmpty()) {
            xml.empty("clock", attrs);
            return;
        }
        xml.open("clock", attrs);
        timers.forEach(t -> xml.empty("timer", t));
        xml.close();
    }
}
