package org.jvirtd.driver.qemu.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.driver.qemu.internal.firmware.FirmwareDescriptor;

/**
 * The domain capabilities document (virConnectGetDomainCapabilities) of one emulator, domain type and
 * machine type, in libvirt 9.0's element order: what the probed binary supports decides each enum value,
 * the firmware descriptors the loader and firmware lists. Pure: it probes and reads nothing itself.
 */
final class DomainCapabilities {
    /** CPU model names QEMU reports that are no models of their own: versions, the host and max aliases. */
    private static final Pattern NOT_A_CPU_MODEL = Pattern.compile(".*-v\\d+|max|base|host");

    /** The facts beside the probed binary that the document depends on. */
    record Host(List<FirmwareDescriptor> firmware, boolean swtpm, boolean vfio) {
    }

    private final StringBuilder out = new StringBuilder();
    private int depth;

    private DomainCapabilities() {
    }

    /** {@code arch}: the guest architecture asked for, the binary's own or one it also runs (i686 on x86_64). */
    static String xml(QemuCaps caps, String arch, String virtType, QemuCaps.Machine machine, Host host) {
        DomainCapabilities d = new DomainCapabilities();
        boolean kvm = "kvm".equals(virtType);
        d.open("domainCapabilities");
        d.text("path", caps.emulator());
        d.text("domain", virtType);
        d.text("machine", machine.name());
        d.text("arch", arch);
        d.line("<vcpu max='" + machine.maxCpus() + "'/>");
        d.line("<iothreads supported='" + yesNo(caps.has("iothread")) + "'/>");
        d.os(arch, machine, host.firmware());
        d.cpu(caps, kvm ? "kvm" : "tcg", kvm);
        d.open("memoryBacking supported='yes'");
        d.values("sourceType", values(caps.has("memory-backend-file"), "file", true, "anonymous",
            caps.has("memory-backend-memfd"), "memfd"));
        d.close("memoryBacking");
        d.devices(caps, machine, host);
        d.features(caps);
        d.close("domainCapabilities");
        return d.out.toString();
    }

    private void os(String arch, QemuCaps.Machine machine, List<FirmwareDescriptor> firmware) {
        List<FirmwareDescriptor> usable = firmware.stream().filter(f -> f.supports(arch, machine.name())).toList();
        open("os supported='yes'");
        Set<String> interfaces = new LinkedHashSet<>();
        usable.forEach(f -> f.interfaces().forEach(i -> interfaces.add("uefi".equals(i) ? "efi" : i)));
        values("firmware", List.copyOf(interfaces));
        open("loader supported='yes'");
        usable.stream().filter(f -> "flash".equals(f.device()) || "memory".equals(f.device()))
            .map(FirmwareDescriptor::executable).distinct().forEach(path -> line("<value>" + escape(path) + "</value>"));
        values("type", List.of("rom", "pflash"));
        values("readonly", List.of("yes", "no"));
        boolean secure = usable.stream().anyMatch(f -> f.has("secure-boot"));
        values("secure", secure ? List.of("yes", "no") : List.of("no"));
        close("loader");
        close("os");
    }

    private void cpu(QemuCaps caps, String accel, boolean kvm) {
        open("cpu");
        if (kvm) {
            open("mode name='host-passthrough' supported='yes'");
            values("hostPassthroughMigratable", List.of("on", "off"));
            close("mode");
        } else {
            line("<mode name='host-passthrough' supported='no'/>");
        }
        if (caps.knowsCpuModel(accel, "max")) {
            open("mode name='maximum' supported='yes'");
            values("maximumMigratable", List.of("on", "off"));
            close("mode");
        } else {
            line("<mode name='maximum' supported='no'/>");
        }
        // jvirtd does not compute a host-model CPU from the host's CPUID yet.
        line("<mode name='host-model' supported='no'/>");
        open("mode name='custom' supported='yes'");
        for (QemuCaps.CpuModel model : caps.cpuModels()) {
            if (model.accel().equals(accel) && !NOT_A_CPU_MODEL.matcher(model.name()).matches()) {
                // The probe runs under TCG only: whether a model runs under KVM is not known.
                String usable = kvm ? "unknown" : yesNo(model.usable());
                line("<model usable='" + usable + "'>" + escape(model.name()) + "</model>");
            }
        }
        close("mode");
        close("cpu");
    }

    private void devices(QemuCaps caps, QemuCaps.Machine machine, Host host) {
        boolean q35 = machine.name().contains("q35");
        open("devices");
        open("disk supported='yes'");
        values("diskDevice", List.of("disk", "cdrom", "floppy", "lun"));
        values("bus", values(!q35, "ide", true, "fdc", true, "scsi", true, "virtio", caps.has("usb-storage"), "usb",
            caps.has("ich9-ahci"), "sata"));
        values("model", transitional(caps.has("virtio-blk-pci-transitional")));
        close("disk");
        open("graphics supported='yes'");
        values("type", values(caps.has("display.sdl"), "sdl", caps.has("vnc"), "vnc", caps.has("spice"), "spice",
            caps.has("display.egl-headless"), "egl-headless", caps.has("display.dbus"), "dbus"));
        close("graphics");
        open("video supported='yes'");
        values("modelType", values(caps.has("VGA"), "vga", caps.has("cirrus-vga"), "cirrus", caps.has("vmware-svga"),
            "vmvga", caps.has("qxl"), "qxl", caps.has("virtio-gpu") || caps.has("virtio-gpu-pci"), "virtio", true, "none",
            caps.has("bochs-display"), "bochs", caps.has("ramfb"), "ramfb"));
        close("video");
        open("hostdev supported='yes'");
        values("mode", List.of("subsystem"));
        values("startupPolicy", List.of("default", "mandatory", "requisite", "optional"));
        values("subsysType", values(true, "usb", caps.has("vfio-pci"), "pci", caps.has("scsi-generic"), "scsi"));
        values("capsType", List.of());
        values("pciBackend", values(host.vfio() && caps.has("vfio-pci"), "vfio"));
        close("hostdev");
        open("rng supported='" + yesNo(caps.has("virtio-rng-pci")) + "'");
        values("model", transitional(caps.has("virtio-rng-pci-transitional")));
        values("backendModel", values(caps.has("rng-random"), "random", caps.has("rng-egd"), "egd",
            caps.has("rng-builtin"), "builtin"));
        close("rng");
        open("filesystem supported='yes'");
        values("driverType", values(true, "path", true, "handle", caps.has("vhost-user-fs-device"), "virtiofs"));
        close("filesystem");
        open("tpm supported='" + yesNo(caps.has("tpm-tis") || caps.has("tpm-crb")) + "'");
        values("model", values(caps.has("tpm-tis"), "tpm-tis", caps.has("tpm-crb"), "tpm-crb"));
        values("backendModel", values(caps.has("tpm-passthrough"), "passthrough",
            host.swtpm() && caps.has("tpm-emulator"), "emulator"));
        close("tpm");
        open("redirdev supported='" + yesNo(caps.has("usb-redir")) + "'");
        values("bus", values(caps.has("usb-redir"), "usb"));
        close("redirdev");
        open("channel supported='yes'");
        values("type", values(true, "pty", true, "unix", caps.has("chardev-spicevmc"), "spicevmc"));
        close("channel");
        close("devices");
    }

    private void features(QemuCaps caps) {
        open("features");
        line("<gic supported='no'/>");
        line("<vmcoreinfo supported='" + yesNo(caps.has("vmcoreinfo")) + "'/>");
        line("<genid supported='" + yesNo(caps.has("vmgenid")) + "'/>");
        line("<backingStoreInput supported='" + yesNo(caps.has("blockdev")) + "'/>");
        line("<backup supported='" + yesNo(caps.has("incremental-backup")) + "'/>");
        line("<sev supported='no'/>");
        line("<sgx supported='no'/>");
        // The Hyper-V enlightenments libvirt offers whatever the host: the rest need a KVM host probe.
        open("hyperv supported='yes'");
        values("features", List.of("spinlocks", "vendor_id"));
        close("hyperv");
        close("features");
    }

    private static List<String> transitional(boolean supported) {
        return supported ? List.of("virtio", "virtio-transitional", "virtio-non-transitional") : List.of("virtio");
    }

    /** The values whose condition holds, from (condition, value) pairs. */
    private static List<String> values(Object... conditionsAndValues) {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < conditionsAndValues.length; i += 2) {
            if ((Boolean) conditionsAndValues[i]) {
                result.add((String) conditionsAndValues[i + 1]);
            }
        }
        return result;
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    private void values(String name, List<String> values) {
        if (values.isEmpty()) {
            line("<enum name='" + name + "'/>");
            return;
        }
        open("enum name='" + name + "'");
        values.forEach(v -> line("<value>" + escape(v) + "</value>"));
        close("enum");
    }

    private void text(String element, String value) {
        line("<" + element + ">" + escape(value) + "</" + element + ">");
    }

    private void open(String tag) {
        line("<" + tag + ">");
        depth++;
    }

    private void close(String element) {
        depth--;
        line("</" + element + ">");
    }

    private void line(String text) {
        out.append("  ".repeat(depth)).append(text).append('\n');
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
