package org.jvirtd.driver.qemu.internal.caps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.driver.qemu.internal.qmp.QmpClient;

/**
 * Asks a QEMU binary what it can do over QMP (query-version, query-commands, qom-list-types,
 * query-machines, query-cpu-definitions) and turns the answers into libvirt's capability flags.
 */
public final class QemuCapsProbe {
    /** Flags whose name is a QOM type the binary must know. */
    private static final List<String> TYPE_FLAGS = List.of("piix3-usb-uhci", "piix4-usb-uhci", "usb-ehci",
        "ich9-usb-ehci1", "nec-usb-xhci", "qemu-xhci", "pci-ohci", "ich9-ahci", "megasas", "mptsas1068",
        "pvscsi", "virtio-scsi-pci", "VGA", "cirrus-vga", "qxl", "vmware-svga", "virtio-gpu", "virtio-vga",
        "bochs-display", "ramfb", "isa-serial", "pci-serial", "usb-storage", "virtio-rng", "rng-random",
        "rng-builtin", "rng-egd", "pcie-root-port", "pci-bridge", "dmi-to-pci-bridge", "ioh3420", "usb-kbd",
        "e1000", "rtl8139", "virtio-net", "pvpanic", "vmcoreinfo", "i8042", "iothread", "memory-backend-file",
        "memory-backend-memfd", "vmgenid", "tpm-tis", "tpm-crb", "tpm-passthrough", "tpm-emulator", "usb-redir",
        "vhost-user-fs-device", "virtio-blk-pci-transitional", "virtio-rng-pci-transitional", "vfio-pci",
        "scsi-generic", "chardev-spicevmc", "virtio-gpu-pci", "virtio-rng-pci", "usb-bot", "virtio-mmio", "gpex-pcihost",
        "pcie-pci-bridge", "zpci", "vfio-ccw");
    /** Flags whose name is "display." plus a display type QEMU's QMP schema lists (DisplayType). */
    private static final List<String> DISPLAY_TYPES = List.of("sdl", "egl-headless", "dbus");

    private QemuCapsProbe() {
    }

    public static QemuCaps probe(Path binary, Path workDir) {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot create '" + workDir + "': " + e.getMessage(), e);
        }
        // A unix socket path has at most 107 bytes; a deep state directory (a --root under a build folder)
        // is longer, so the probe's socket and pid file live in a short private folder of their own.
        Path shortDir;
        try {
            shortDir = Files.createTempDirectory("jvirtd-probe");
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot create a probe directory: " + e.getMessage(), e);
        }
        Path socket = shortDir.resolve("probe.sock");
        Path pidFile = shortDir.resolve("probe.pid");
        List<String> argv = List.of(binary.toString(), "-S", "-no-user-config", "-nodefaults", "-display", "none",
            "-machine", "none", "-accel", "tcg", "-qmp", "unix:" + socket + ",server=on,wait=off", "-daemonize",
            "-pidfile", pidFile.toString());
        try {
            Files.deleteIfExists(socket);
            Path log = workDir.resolve("probe.log");
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw VirtErrors.internal(ErrorDomain.QEMU, "failed to probe capabilities of " + binary + ": "
                    + Files.readString(log).strip());
            }
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot run " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtErrors.internal(ErrorDomain.QEMU, "interrupted while probing " + binary);
        }
        try (QmpClient qmp = QmpClient.connect(socket, Map.of(), () -> { })) {
            QemuCaps caps = fromQmp(binary, qmp);
            qmp.execute("quit", null, Duration.ofSeconds(5));
            return caps;
        } finally {
            try {
                if (Files.exists(pidFile)) {
                    ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(ProcessHandle::destroyForcibly);
                }
                Files.deleteIfExists(pidFile);
                Files.deleteIfExists(socket);
                Files.deleteIfExists(shortDir);
            } catch (IOException | NumberFormatException e) {
                // Leftovers of a probe are harmless; the next probe replaces them.
            }
        }
    }

    private static QemuCaps fromQmp(Path binary, QmpClient qmp) {
        Map<String, Object> version = qmp.queryVersion();
        @SuppressWarnings("unchecked")
        Map<String, Object> qemu = (Map<String, Object>) version.get("qemu");
        long encoded = number(qemu.get("major")) * 1_000_000 + number(qemu.get("minor")) * 1_000
            + number(qemu.get("micro"));
        Set<String> flags = new HashSet<>();
        Set<String> types = new HashSet<>();
        qmp.qomListTypes().forEach(t -> types.add(String.valueOf(t.get("name"))));
        TYPE_FLAGS.stream().filter(types::contains).forEach(flags::add);
        if (types.contains("lsi53c895a")) {
            flags.add("lsi"); // libvirt's SCSI_LSI: the QOM type of the LSI 53C895A controller
        }
        if (types.contains("kvm-pit")) {
            flags.add("kvm-pit-lost-tick-policy");
        }
        if (types.contains("qxl")) {
            flags.add("qxl.vgamem_mb");
            flags.add("qxl.vram64_size_mb");
        }
        if (types.contains("VGA")) {
            flags.add("VGA.vgamem_mb");
        }
        if (types.contains("vmware-svga")) {
            flags.add("vmware-svga.vgamem_mb");
        }
        if (types.contains("bochs-display")) {
            flags.add("bochs-display.vgamem");
        }
        if (types.contains("virtio-blk-pci-transitional")) {
            flags.add("virtio-pci-non-transitional");
        }
        if (types.contains("usb-storage")) {
            flags.add("usb-storage.removable");
        }
        if (types.contains("vfio-pci")) {
            flags.add("vfio-pci.display"); // QEMU 3.1 and later
        }
        if (types.contains("max-x86_64-cpu")) {
            // the host CPU's "migratable" property (QEMU 2.12 and later), as libvirt looks for it: on the x86_64
            // binary's max CPU only, so qemu-system-i386 guests get no migratable= from libvirt
            flags.add("cpu.migratable");
        }
        Set<String> commands = new HashSet<>();
        qmp.queryCommands().forEach(c -> commands.add(String.valueOf(c.get("name"))));
        if (commands.contains("set-action")) {
            flags.add("set-action");
        }
        if (commands.contains("blockdev-add")) {
            flags.add("blockdev");
        }
        if (commands.contains("blockdev-backup") && commands.contains("block-dirty-bitmap-merge")) {
            flags.add("incremental-backup");
        }
        if (commands.contains("query-spice")) {
            flags.add("spice");
        }
        if (commands.contains("query-vnc")) {
            flags.add("vnc");
        }
        if (commandLineOption(qmp, "smp-opts", "dies")) {
            flags.add("smp-dies");
        }
        displayTypes(qmp).stream().filter(DISPLAY_TYPES::contains).forEach(t -> flags.add("display." + t));
        flags.addAll(List.of("tcg", "no-acpi", "seccomp-sandbox"));
        if (Files.exists(Path.of("/dev/kvm"))) {
            flags.add("kvm");
        }
        if (encoded >= 7_000_000) {
            flags.addAll(List.of("device.json+hotplug", "netdev.json", "object.qapified"));
        }
        if (encoded >= 8_000_000) {
            flags.add("machine-hpet");
        } else {
            flags.add("no-hpet");
        }
        List<QemuCaps.Machine> machines = new ArrayList<>();
        List<QemuCaps.CpuModel> cpus = new ArrayList<>();
        for (String accel : List.of("tcg", "kvm")) {
            for (Map<String, Object> m : qmp.queryMachines()) {
                machines.add(new QemuCaps.Machine(accel, String.valueOf(m.get("name")), (String) m.get("alias"),
                    Boolean.TRUE.equals(m.get("is-default")), (String) m.get("default-cpu-type"),
                    (String) m.get("default-ram-id"), (int) number(m.get("cpu-max")),
                    Boolean.TRUE.equals(m.get("numa-mem-supported"))));
            }
            for (Map<String, Object> c : qmp.queryCpuDefinitions()) {
                // The probe runs under TCG: what it reports missing applies to tcg; kvm is not asked.
                boolean usable = !"tcg".equals(accel) || !(c.get("unavailable-features") instanceof List<?> missing)
                    || missing.isEmpty();
                cpus.add(new QemuCaps.CpuModel(accel, String.valueOf(c.get("name")), (String) c.get("typename"),
                    usable));
            }
        }
        String name = binary.getFileName().toString();
        String arch = name.startsWith("qemu-system-") ? name.substring("qemu-system-".length()) : "x86_64";
        return new QemuCaps(binary.toString(), arch, encoded, flags, machines, cpus);
    }

    /** Whether query-command-line-options lists the parameter for the option (libvirt's SMP_DIES comes from it). */
    private static boolean commandLineOption(QmpClient qmp, String option, String parameter) {
        Object answer = qmp.execute("query-command-line-options", Props.of("option", option),
            Duration.ofSeconds(10));
        if (!(answer instanceof List<?> options)) {
            return false;
        }
        return options.stream().filter(o -> o instanceof Map<?, ?>).map(o -> ((Map<?, ?>) o).get("parameters"))
            .filter(p -> p instanceof List<?>).flatMap(p -> ((List<?>) p).stream())
            .anyMatch(p -> p instanceof Map<?, ?> m && parameter.equals(m.get("name")));
    }

    /** The values of the QMP schema's display type enumeration (the enum that lists egl-headless). */
    @SuppressWarnings("unchecked")
    private static List<String> displayTypes(QmpClient qmp) {
        Object schema = qmp.execute("query-qmp-schema", null, Duration.ofSeconds(10));
        if (schema instanceof List<?> entries) {
            for (Object entry : entries) {
                if (entry instanceof Map<?, ?> m && "enum".equals(m.get("meta-type"))
                    && m.get("values") instanceof List<?> values && values.contains("egl-headless")) {
                    return (List<String>) values;
                }
            }
        }
        return List.of();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
