package org.jvirtd.driver.xen.internal.xl;

import static org.jvirtd.driver.xen.internal.xl.Elements.attr;
import static org.jvirtd.driver.xen.internal.xl.Elements.child;
import static org.jvirtd.driver.xen.internal.xl.Elements.children;
import static org.jvirtd.driver.xen.internal.xl.Elements.path;
import static org.jvirtd.driver.xen.internal.xl.Elements.text;

import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Element;

/**
 * Domain XML to xl.cfg (virsh domxml-to-native xen-xl): the settings libvirt 9.0 writes, in its order — general
 * facts, memory, vCPUs, hypervisor features, clock, lifecycle actions, emulator, framebuffer, vifs, PCI, character
 * devices, sound, then the xl-only parts (OS, cpuid, vNUMA, xenbus limits, disks, SPICE, USB, channels, device
 * model arguments). A pure function of the canonical (inactive) document.
 */
final class DomainToXl {
    private final Element domain;
    private final Element devices;
    private final boolean hvm;
    private final XlConfig cfg = new XlConfig();

    private DomainToXl(Element domain) {
        this.domain = domain;
        this.devices = child(domain, "devices");
        this.hvm = "hvm".equals(text(domain, "os", "type"));
    }

    static XlConfig convert(Element domain) {
        return new DomainToXl(domain).run();
    }

    private XlConfig run() {
        cfg.set("name", text(domain, "name"));
        cfg.set("uuid", text(domain, "uuid"));
        memory();
        vcpus();
        features();
        timers();
        clock();
        lifecycle();
        String emulator = text(devices, "emulator");
        if (emulator != null) {
            cfg.set("device_model_override", emulator);
        }
        XlGraphics.format(cfg, children(devices, "graphics"), hvm);
        vifs();
        pci();
        XlCharDevices.format(cfg, devices, hvm);
        sound();
        os();
        cpuid();
        XlNuma.format(cfg, path(domain, "cpu", "numa"));
        xenbusLimits();
        disks();
        XlGraphics.formatSpice(cfg, children(devices, "graphics"), hvm);
        usbInputs();
        usbHostdevs();
        usbControllers();
        channels();
        deviceModelArgs();
        return cfg;
    }

    private static long mebibytes(String kib) {
        return (Long.parseLong(kib) + 1023) / 1024;
    }

    private void memory() {
        cfg.set("maxmem", mebibytes(text(domain, "memory")));
        cfg.set("memory", mebibytes(text(domain, "currentMemory")));
    }

    private void vcpus() {
        Element vcpu = child(domain, "vcpu");
        long max = vcpu == null ? 1 : Long.parseLong(vcpu.getTextContent().strip());
        String current = attr(vcpu, "current");
        long now = current == null ? max : Long.parseLong(current);
        if (now < max) {
            cfg.set("maxvcpus", max);
        }
        cfg.set("vcpus", now);
        String cpuset = attr(vcpu, "cpuset");
        if (cpuset != null) {
            cfg.set("cpus", cpuset);
        }
    }

    private boolean featureOn(String name) {
        Element f = child(child(domain, "features"), name);
        return f != null && !"off".equals(attr(f, "state"));
    }

    private void features() {
        Element features = child(domain, "features");
        Element xen = child(features, "xen");
        boolean xenOn = xen != null && !"off".equals(attr(xen, "state"));
        if (hvm) {
            cfg.set("pae", featureOn("pae") ? 1 : 0);
            cfg.set("acpi", featureOn("acpi") ? 1 : 0);
            cfg.set("apic", featureOn("apic") ? 1 : 0);
            if ("off".equals(attr(child(features, "hap"), "state"))) {
                cfg.set("hap", 0);
            }
            cfg.set("viridian", featureOn("viridian") ? 1 : 0);
        } else if (xenOn && "on".equals(attr(child(xen, "e820_host"), "state"))) {
            cfg.set("e820_host", 1);
        }
        Element passthrough = child(xen, "passthrough");
        if (xenOn && "on".equals(attr(passthrough, "state"))) {
            String mode = attr(passthrough, "mode");
            cfg.set("passthrough", "sync_pt".equals(mode) || "share_pt".equals(mode) ? mode : "enabled");
        }
    }

    private void timers() {
        for (Element timer : children(child(domain, "clock"), "timer")) {
            String name = attr(timer, "name");
            if ("tsc".equals(name)) {
                String mode = attr(timer, "mode");
                cfg.set("tsc_mode", switch (mode == null ? "" : mode) {
                    case "native" -> "native";
                    case "paravirt" -> "native_paravirt";
                    case "emulate" -> "always_emulate";
                    default -> "default";
                });
            } else if ("hpet".equals(name) && hvm) {
                cfg.set("hpet", "no".equals(attr(timer, "present")) ? 0 : 1);
            } else {
                throw XenConversionErrors.unsupported("unsupported timer type (name) '" + name + "'");
            }
        }
    }

    private void clock() {
        Element clock = child(domain, "clock");
        String offset = clock == null ? "utc" : attr(clock, "offset");
        boolean reset = clock != null && "reset".equals(attr(clock, "adjustment"));
        int localtime;
        if (hvm) {
            long rtcOffset = 0;
            switch (offset) {
                case "variable" -> {
                    localtime = "localtime".equals(attr(clock, "basis")) ? 1 : 0;
                    String adjustment = attr(clock, "adjustment");
                    rtcOffset = adjustment == null ? 0 : Long.parseLong(adjustment);
                }
                case "utc", "localtime" -> {
                    if (reset) {
                        throw XenConversionErrors.unsupported("unsupported clock adjustment='reset'");
                    }
                    localtime = "localtime".equals(offset) ? 1 : 0;
                }
                default -> throw XenConversionErrors.unsupported("unsupported clock offset='" + offset + "'");
            }
            cfg.set("rtc_timeoffset", rtcOffset);
        } else {
            localtime = switch (offset) {
                case "utc" -> 0;
                case "localtime" -> 1;
                default -> throw XenConversionErrors.unsupported("unsupported clock offset='" + offset + "'");
            };
        }
        cfg.set("localtime", localtime);
    }

    private void lifecycle() {
        cfg.set("on_poweroff", orDefault(text(domain, "on_poweroff"), "destroy"));
        cfg.set("on_reboot", orDefault(text(domain, "on_reboot"), "restart"));
        cfg.set("on_crash", orDefault(text(domain, "on_crash"), "destroy"));
    }

    private static String orDefault(String value, String absent) {
        return value == null ? absent : value;
    }

    private void vifs() {
        List<Object> vifs = new ArrayList<>();
        for (Element net : children(devices, "interface")) {
            vifs.add(XlVif.format(net, hvm));
        }
        if (!vifs.isEmpty()) {
            cfg.set("vif", vifs);
        }
    }

    private void pci() {
        List<Object> pcis = new ArrayList<>();
        for (Element hostdev : children(devices, "hostdev")) {
            if (!"subsystem".equals(attr(hostdev, "mode")) || !"pci".equals(attr(hostdev, "type"))) {
                continue;
            }
            Element source = child(hostdev, "source");
            Element address = child(source, "address");
            String filtering = attr(source, "writeFiltering");
            String permissive = "yes".equals(filtering) ? ",permissive=0" : "no".equals(filtering)
                ? ",permissive=1" : "";
            pcis.add(String.format("%04x:%02x:%02x.%x%s", hex(attr(address, "domain")), hex(attr(address, "bus")),
                hex(attr(address, "slot")), hex(attr(address, "function")), permissive));
        }
        if (!pcis.isEmpty()) {
            cfg.set("pci", pcis);
        }
    }

    private static int hex(String value) {
        if (value == null) {
            return 0;
        }
        return value.startsWith("0x") ? Integer.parseInt(value.substring(2), 16) : Integer.parseInt(value);
    }

    private void sound() {
        List<Element> sounds = children(devices, "sound");
        if (hvm && !sounds.isEmpty()) {
            cfg.set("soundhw", String.join(",", sounds.stream().map(s -> attr(s, "model")).toList()));
        }
    }

    private void os() {
        Element os = child(domain, "os");
        if (hvm) {
            cfg.set("builder", "hvm");
            if ("pflash".equals(attr(child(os, "loader"), "type"))) {
                cfg.set("bios", "ovmf");
            }
            for (Element table : children(child(os, "acpi"), "table")) {
                if ("slic".equals(attr(table, "type"))) {
                    cfg.set("acpi_firmware", table.getTextContent().strip());
                }
            }
            kernel(os);
            StringBuilder boot = new StringBuilder();
            for (Element dev : children(os, "boot")) {
                boot.append(switch (attr(dev, "dev")) {
                    case "fd" -> 'a';
                    case "cdrom" -> 'd';
                    case "network" -> 'n';
                    default -> 'c';
                });
            }
            cfg.set("boot", boot.isEmpty() ? "c" : boot.toString());
            Element cpu = child(domain, "cpu");
            if (cpu != null && "host-passthrough".equals(attr(cpu, "mode"))) {
                boolean hwVirt = children(cpu, "feature").stream()
                    .noneMatch(f -> ("vmx".equals(attr(f, "name")) || "svm".equals(attr(f, "name")))
                        && ("disable".equals(attr(f, "policy")) || "forbid".equals(attr(f, "policy"))));
                cfg.set("nestedhvm", hwVirt ? 1 : 0);
            }
        } else {
            if ("xenpvh".equals(text(domain, "os", "type"))) {
                cfg.set("type", "pvh");
            }
            String bootloader = text(domain, "bootloader");
            if (bootloader != null) {
                cfg.set("bootloader", bootloader);
            }
            String bootargs = text(domain, "bootloader_args");
            if (bootargs != null) {
                cfg.set("bootargs", bootargs);
            }
            kernel(os);
        }
    }

    private void kernel(Element os) {
        String kernel = text(os, "kernel");
        String initrd = text(os, "initrd");
        String cmdline = text(os, "cmdline");
        if (kernel != null) {
            cfg.set("kernel", kernel);
        }
        if (initrd != null) {
            cfg.set("ramdisk", initrd);
        }
        if (cmdline != null) {
            cfg.set("cmdline", cmdline);
        }
    }

    private void cpuid() {
        Element cpu = child(domain, "cpu");
        if (cpu == null || !"host-passthrough".equals(attr(cpu, "mode"))) {
            return;
        }
        List<String> pairs = new ArrayList<>(List.of("host"));
        for (Element feature : children(cpu, "feature")) {
            String name = CpuFeatureNames.toLibxl(attr(feature, "name"));
            if (name.equals("vmx") || name.equals("svm")) {
                continue;
            }
            String policy = attr(feature, "policy");
            pairs.add(name + "=" + switch (policy == null ? "require" : policy) {
                case "optional" -> "x";
                case "disable", "forbid" -> "0";
                default -> "1";
            });
        }
        if (pairs.size() > 1) {
            cfg.set("cpuid", String.join(",", pairs));
        }
    }

    private void xenbusLimits() {
        for (Element controller : children(devices, "controller")) {
            if (!"xenbus".equals(attr(controller, "type"))) {
                continue;
            }
            String events = attr(controller, "maxEventChannels");
            if (events != null && Long.parseLong(events) > 0) {
                cfg.set("max_event_channels", Long.parseLong(events));
            }
            String frames = attr(controller, "maxGrantFrames");
            if (frames != null && Long.parseLong(frames) > 0) {
                cfg.set("max_grant_frames", Long.parseLong(frames));
            }
        }
    }

    private void disks() {
        List<Object> disks = new ArrayList<>();
        for (Element disk : children(devices, "disk")) {
            if (!"floppy".equals(attr(disk, "device"))) {
                disks.add(XlDisk.format(disk));
            }
        }
        if (!disks.isEmpty()) {
            cfg.set("disk", disks);
        }
    }

    private void usbInputs() {
        if (!hvm) {
            return;
        }
        List<Object> kinds = new ArrayList<>();
        for (Element input : children(devices, "input")) {
            if (!"usb".equals(attr(input, "bus"))) {
                continue;
            }
            cfg.set("usb", 1);
            switch (attr(input, "type")) {
                case "mouse" -> kinds.add("mouse");
                case "tablet" -> kinds.add("tablet");
                case "keyboard" -> kinds.add("keyboard");
                default -> { }
            }
        }
        if (kinds.size() == 1) {
            cfg.set("usbdevice", kinds.get(0));
        } else if (!kinds.isEmpty()) {
            cfg.set("usbdevice", kinds);
        }
    }

    private void usbHostdevs() {
        List<Object> usbdevs = new ArrayList<>();
        for (Element hostdev : children(devices, "hostdev")) {
            if ("subsystem".equals(attr(hostdev, "mode")) && "usb".equals(attr(hostdev, "type"))) {
                Element address = path(hostdev, "source", "address");
                usbdevs.add(String.format("hostbus=%x,hostaddr=%x", Integer.parseInt(attr(address, "bus")),
                    Integer.parseInt(attr(address, "device"))));
            }
        }
        if (!usbdevs.isEmpty()) {
            cfg.set("usbdev", usbdevs);
        }
    }

    private void usbControllers() {
        List<Object> controllers = new ArrayList<>();
        for (Element controller : children(devices, "controller")) {
            if (!"usb".equals(attr(controller, "type"))) {
                continue;
            }
            StringBuilder spec = new StringBuilder();
            String model = attr(controller, "model");
            if (model != null) {
                switch (model) {
                    case "qusb1" -> spec.append("type=qusb,version=1,");
                    case "qusb2" -> spec.append("type=qusb,version=2,");
                    default -> throw XenConversionErrors.unsupported("unsupported USB controller model '" + model
                        + "'");
                }
            }
            String ports = attr(controller, "ports");
            if (ports != null) {
                spec.append("ports=").append(Integer.toHexString(Integer.parseInt(ports)));
            }
            controllers.add(spec.toString());
        }
        if (!controllers.isEmpty()) {
            cfg.set("usbctrl", controllers);
        }
    }

    private void channels() {
        List<Object> channels = new ArrayList<>();
        for (Element channel : children(devices, "channel")) {
            Element target = child(channel, "target");
            if (!"xen".equals(attr(target, "type"))) {
                continue;
            }
            StringBuilder spec = new StringBuilder("connection=");
            switch (attr(channel, "type")) {
                case "pty" -> spec.append("pty,");
                case "unix" -> {
                    spec.append("socket,");
                    String socket = attr(child(channel, "source"), "path");
                    if (socket != null) {
                        spec.append("path=").append(socket).append(',');
                    }
                }
                default -> throw XenConversionErrors.internal("unsupported channel type");
            }
            spec.append("name=").append(attr(target, "name"));
            channels.add(spec.toString());
        }
        if (!channels.isEmpty()) {
            cfg.set("channel", channels);
        }
    }

    private void deviceModelArgs() {
        List<Object> args = new ArrayList<>();
        for (Element line : children(domain, "xen:commandline")) {
            for (Element arg : children(line, "xen:arg")) {
                args.add(attr(arg, "value"));
            }
        }
        if (!args.isEmpty()) {
            cfg.set("device_model_args", args);
        }
    }
}
