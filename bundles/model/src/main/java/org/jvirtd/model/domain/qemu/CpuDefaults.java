package org.jvirtd.model.domain.qemu;

import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlNode;

/**
 * The CPU defaults of the QEMU driver: the machine's default CPU model when the definition names none, the GIC
 * version of ARM virt machines, host-passthrough migratability and the default {@code check} policy.
 */
final class CpuDefaults {
    private static final List<String> FEATURE_ORDER = List.of("acpi", "apic", "pae", "hap", "viridian", "privnet",
        "hyperv", "kvm", "xen", "pvspinlock", "capabilities", "pmu", "vmport", "gic", "smm", "ioapic", "hpt",
        "vmcoreinfo", "htm", "nested-hv", "msrs", "ccf-assist", "cfpc", "sbbc", "ibs", "tcg");

    private CpuDefaults() {
    }

    static void applyDefaultModel(Guest guest) {
        XmlNode cpu = guest.root.child("cpu");
        if (cpu != null && (!"custom".equals(mode(cpu)) || cpu.child("model") != null)) {
            return;
        }
        boolean archWithQemuDefault = guest.isX86() || guest.isS390() || guest.isPpc64();
        if (!archWithQemuDefault && !(guest.isArm() && guest.isTcg())) {
            return;
        }
        String model = guest.caps.defaultCpuModel(guest.virtType(), guest.machine()).orElse(null);
        if (model == null) {
            return;
        }
        if (model.equals("host") && !"kvm".equals(guest.root.attr("type"))) {
            throw Errors.internal(ErrorDomain.QEMU,
                "QEMU reports invalid default CPU model \"host\" for non-kvm domain virt type");
        }
        if (cpu == null) {
            cpu = new XmlNode("cpu", null);
            guest.root.children().add(cpu);
        }
        if (model.equals("host")) {
            cpu.set("mode", guest.isS390() ? "host-model" : "host-passthrough");
        } else {
            cpu.set("mode", "custom").set("match", "exact").set("check", "none");
            XmlNode m = new XmlNode("model", null).set("fallback", "forbid");
            m.setText(model);
            cpu.insert(0, m);
        }
        cpu.orderAttributes(List.of("mode", "match", "check", "migratable"));
    }

    static void applyGic(Guest guest) {
        XmlNode features = guest.root.child("features");
        XmlNode gic = features == null ? null : features.child("gic");
        boolean wanted = gic == null ? guest.isArmVirt() : !"off".equals(gic.attr("state")) && !gic.has("version");
        if (!wanted) {
            return;
        }
        if (features == null) {
            features = new XmlNode("features", null);
            guest.root.children().add(features);
        }
        if (gic == null) {
            gic = new XmlNode("gic", null);
            int rank = FEATURE_ORDER.indexOf("gic");
            int at = 0;
            for (XmlNode f : features.children()) {
                int r = FEATURE_ORDER.indexOf(f.name());
                if (r >= 0 && r < rank) {
                    at = features.children().indexOf(f) + 1;
                }
            }
            features.insert(at, gic);
        }
        gic.set("version", Integer.toString(guest.caps.gicVersion(guest.virtType())));
    }

    static void applyCheck(Guest guest) {
        XmlNode cpu = guest.root.child("cpu");
        if (cpu == null) {
            return;
        }
        String mode = mode(cpu);
        if (guest.root.attr("id") == null && "host-passthrough".equals(mode) && !cpu.has("migratable")) {
            if (guest.caps.has("cpu.migratable")) {
                cpu.set("migratable", "on");
            } else if (guest.isX86()) {
                cpu.set("migratable", "off");
            }
        }
        if (!("custom".equals(mode) && cpu.child("model") == null) && !cpu.has("check")) {
            String check = switch (mode) {
                case "host-passthrough", "maximum" -> "none";
                case "host-model" -> "partial";
                default -> guest.isTcg() ? "none" : "partial";
            };
            cpu.set("check", check);
        }
        cpu.orderAttributes(List.of("mode", "match", "check", "migratable"));
    }

    private static String mode(XmlNode cpu) {
        return cpu.attr("mode") == null ? "custom" : cpu.attr("mode");
    }
}
