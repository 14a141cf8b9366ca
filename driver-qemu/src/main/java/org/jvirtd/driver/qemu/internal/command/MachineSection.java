package org.jvirtd.driver.qemu.internal.command;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * The head of the command line: guest name, -S and the master key, pflash firmware and NVRAM, -machine,
 * -accel, -cpu and the secure flash of secure-boot firmware.
 */
final class MachineSection {
    private MachineSection() {
    }

    static void name(BuildContext c, List<String> argv) {
        argv.add("-name");
        argv.add("guest=" + Props.escapeCommas(c.def.name()) + ",debug-threads=on");
        argv.add("-S");
        c.object(argv, Props.of("qom-type", "secret").put("id", "masterKey0").put("format", "raw")
            .put("file", c.privateDir.resolve("master-key.aes").toString()));
    }

    static void firmware(BuildContext c, List<String> argv) {
        GuestDef.Loader loader = c.def.os().loader();
        if (!isPflash(loader)) {
            return;
        }
        argv.add("-blockdev");
        argv.add(Props.of("driver", "file").put("filename", loader.path()).put("node-name", "libvirt-pflash0-storage")
            .put("auto-read-only", true).put("discard", "unmap").json());
        argv.add("-blockdev");
        argv.add(Props.of("node-name", "libvirt-pflash0-format").put("read-only", Boolean.TRUE.equals(loader.readonly()))
            .put("driver", "raw").put("file", "libvirt-pflash0-storage").json());
        if (hasNvram(c)) {
            argv.add("-blockdev");
            argv.add(Props.of("driver", "file").put("filename", c.def.os().nvram())
                .put("node-name", "libvirt-pflash1-storage").put("auto-read-only", true).put("discard", "unmap").json());
            argv.add("-blockdev");
            argv.add(Props.of("node-name", "libvirt-pflash1-format").put("read-only", false).put("driver", "raw")
                .put("file", "libvirt-pflash1-storage").json());
        }
    }

    /** A pflash loader with a writable NVRAM flash beside it (stateless firmware has none). */
    private static boolean hasNvram(BuildContext c) {
        GuestDef.Loader loader = c.def.os().loader();
        return isPflash(loader) && c.def.os().nvram() != null && !Boolean.TRUE.equals(loader.stateless());
    }

    private static boolean isPflash(GuestDef.Loader loader) {
        return loader != null && "pflash".equals(loader.type()) && loader.path() != null;
    }

    static void machineAndCpu(BuildContext c, List<String> argv) {
        List<String> opts = new ArrayList<>();
        opts.add(c.machine.name());
        opts.add("usb=off");
        if (c.def.vmport() != null) {
            opts.add("vmport=" + c.def.vmport());
        }
        if (c.def.smm()) {
            opts.add("smm=on");
        }
        if ("qemu".equals(c.def.ioapicDriver())) {
            opts.add("kernel_irqchip=split");
        }
        opts.add("dump-guest-core=off");
        if (c.machine.defaultRamId() != null && c.def.numa().isEmpty()) {
            opts.add("memory-backend=" + c.machine.defaultRamId());
        }
        if (isPflash(c.def.os().loader())) {
            opts.add("pflash0=libvirt-pflash0-format");
        }
        if (hasNvram(c)) {
            opts.add("pflash1=libvirt-pflash1-format");
        }
        if (c.def.os().biosUseSerial()) {
            opts.add("graphics=off"); // SeaBIOS's output on the serial port
        }
        if (hpetDisabled(c.def) && c.caps.has("machine-hpet")) {
            opts.add("hpet=off");
        }
        argv.add("-machine");
        argv.add(String.join(",", opts));
        argv.add("-accel");
        argv.add(c.def.accel());
        if (c.def.extras().tsegMiB() != null && c.q35) {
            argv.add("-global");
            argv.add("mch.extended-tseg-mbytes=" + c.def.extras().tsegMiB());
        }
        String cpu = cpu(c);
        if (cpu != null) {
            argv.add("-cpu");
            argv.add(cpu);
        }
        GuestDef.Loader loader = c.def.os().loader();
        if (isPflash(loader) && Boolean.TRUE.equals(loader.secure())) {
            argv.add("-global");
            argv.add("driver=cfi.pflash01,property=secure,value=on");
        }
        if (loader != null && loader.path() != null && !isPflash(loader)) {
            argv.add("-bios"); // a ROM loader
            argv.add(loader.path());
        }
    }

    static boolean hpetDisabled(GuestDef def) {
        return def.clock().timers().stream().anyMatch(t -> "hpet".equals(t.name()) && Boolean.FALSE.equals(t.present()));
    }

    private static String cpu(BuildContext c) {
        GuestDef.Cpu cpu = c.def.cpu();
        String mode = cpu == null ? null : cpu.mode();
        String model;
        // libvirt passes the migratable property only to a QEMU that has it
        boolean migratable = cpu != null && cpu.migratable() != null && c.caps.has("cpu.migratable");
        if ("host-passthrough".equals(mode)) {
            model = migratable ? "host,migratable=" + cpu.migratable() : "host";
        } else if ("maximum".equals(mode)) {
            model = migratable ? "max,migratable=" + cpu.migratable() : "max";
        } else if ("host-model".equals(mode)) {
            model = c.def.isKvm() ? "host" : "max";
        } else if (cpu != null && cpu.model() != null) {
            model = cpu.model();
            if (!c.caps.knowsCpuModel(c.def.accel(), model)) {
                throw VirtErrors.operationFailed(ErrorDomain.QEMU,
                    "guest CPU doesn't match specification: unknown CPU model " + model);
            }
        } else {
            model = c.machine.defaultCpuType() == null ? null
                : c.caps.cpuModelByType(c.def.accel(), c.machine.defaultCpuType()).orElse(null);
        }
        if (model == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(model);
        if (cpu != null) {
            for (GuestDef.CpuFeature f : cpu.features()) {
                boolean on = "require".equals(f.policy()) || "force".equals(f.policy());
                boolean off = "disable".equals(f.policy()) || "forbid".equals(f.policy());
                if (on || off) {
                    out.append(',').append(f.name()).append('=').append(on ? "on" : "off");
                }
            }
        }
        for (GuestDef.Timer t : c.def.clock().timers()) {
            if ("kvmclock".equals(t.name()) && t.present() != null) {
                out.append(",kvmclock=").append(t.present() ? "on" : "off");
            } else if ("hypervclock".equals(t.name()) && Boolean.TRUE.equals(t.present())) {
                out.append(",hv-time=on");
            }
        }
        // after the timers, before the Hyper-V enlightenments, as libvirt orders them
        GuestDef.ParavirtSwitches pv = c.def.paravirt();
        if (pv.apicEoi() != null) {
            out.append(",kvm-pv-eoi=").append("on".equals(pv.apicEoi()) ? "on" : "off");
        }
        if (pv.pvspinlock() != null) {
            out.append(",kvm-pv-unhalt=").append("on".equals(pv.pvspinlock()) ? "on" : "off");
        }
        hyperv(c.def.hyperv(), out);
        if (c.def.kvmHidden() != null) {
            out.append(",kvm=").append("on".equals(c.def.kvmHidden()) ? "off" : "on");
        }
        if (c.def.pmu() != null) {
            out.append(",pmu=").append(c.def.pmu());
        }
        return out.toString();
    }

    /** The Hyper-V enlightenments libvirt passes as CPU properties, in libvirt's order of them. */
    private static final List<String> HYPERV_ORDER = List.of("relaxed", "vapic", "spinlocks", "vpindex", "runtime",
        "synic", "stimer", "reset", "vendor_id", "frequencies", "reenlightenment", "tlbflush", "ipi", "evmcs", "avic");

    private static void hyperv(GuestDef.Hyperv hv, StringBuilder out) {
        if ("passthrough".equals(hv.mode())) {
            out.append(",hv-passthrough=on");
        } else if (!"custom".equals(hv.mode())) {
            return;
        }
        for (String feature : HYPERV_ORDER) {
            if (!hv.on().contains(feature)) {
                continue;
            }
            switch (feature) {
                case "spinlocks" -> out.append(",hv-spinlocks=0x")
                    .append(Integer.toHexString(hv.spinlockRetries() == null ? 0 : hv.spinlockRetries()));
                case "vendor_id" -> out.append(",hv-vendor-id=").append(hv.vendorId());
                case "stimer" -> {
                    out.append(",hv-stimer=on");
                    if (hv.stimerDirect()) {
                        out.append(",hv-stimer-direct=on");
                    }
                }
                default -> out.append(",hv-").append(feature).append("=on");
            }
        }
    }
}
