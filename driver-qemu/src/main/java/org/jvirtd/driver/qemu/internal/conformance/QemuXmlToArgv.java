package org.jvirtd.driver.qemu.internal.conformance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.driver.qemu.internal.caps.QemuCapsXml;
import org.jvirtd.driver.qemu.internal.command.GuestValidator;
import org.jvirtd.driver.qemu.internal.command.QemuCommandLine;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.driver.qemu.internal.guest.GuestXml;
import org.jvirtd.model.conformance.ConformanceCase;
import org.jvirtd.model.conformance.TextCompare;

/**
 * Runs one qemuxml2argv case as libvirt's test does: parse and validate, build the command line in
 * libvirt's test environment with the case's capabilities and driver config, compare the rendering.
 * A negative case passes when it fails in the expected phase with libvirt's message (its .err file).
 */
final class QemuXmlToArgv {
    private static final List<String> FAKE_CPU_MODELS = List.of("Opteron_G1", "Opteron_G2", "Opteron_G3", "Nehalem",
        "Penryn", "Conroe", "Haswell-noTSX", "Haswell", "n270", "athlon", "pentium", "pentium2", "pentium3", "486",
        "coreduo", "kvm32", "qemu32", "kvm64", "core2duo", "phenom", "qemu64");

    private QemuXmlToArgv() {
    }

    static String run(ConformanceCase c) throws Exception {
        QemuCaps caps = caps(c);
        QemuConf cfg = testConf(c);
        GuestDef def;
        try {
            def = GuestXml.parse(org.jvirtd.driver.qemu.internal.PostParse.apply(c.read("input"), caps, Map.of()), -1);
            GuestValidator.validate(def, caps);
        } catch (VirtException e) {
            return c.refusedWhileParsing(e);
        }
        if (c.expectsParseError()) {
            return "expected a parse error, but the definition was accepted";
        }
        String argv;
        try {
            argv = QemuCommandLine.build(def, caps, cfg).render();
        } catch (VirtException e) {
            return c.refusedWhileGenerating(e);
        }
        if (c.expectsFailure()) {
            return "expected the build to fail, but it produced a command line";
        }
        return TextCompare.raw(c.read("expectedArgs"), argv);
    }

    @SuppressWarnings("unchecked")
    static QemuCaps caps(ConformanceCase c) throws Exception {
        Map<String, Object> spec = (Map<String, Object>) c.field("caps");
        String arch = String.valueOf(c.fields().getOrDefault("domainArch", "x86_64"));
        if ("real".equals(spec.get("mode"))) {
            Path file = c.dir().resolveSibling(String.valueOf(spec.get("file")));
            QemuCaps caps = QemuCapsXml.parse(Files.readString(file, StandardCharsets.UTF_8), "x86_64");
            return Boolean.TRUE.equals(spec.get("stripMachineAliases")) ? caps.withAliasesAsMachines() : caps;
        }
        Set<String> flags = new LinkedHashSet<>((List<String>) spec.getOrDefault("flagNames", List.of()));
        flags.addAll((List<String>) spec.getOrDefault("impliedFlagNames", List.of()));
        List<QemuCaps.Machine> machines = new ArrayList<>();
        List<QemuCaps.CpuModel> cpus = new ArrayList<>();
        for (String accel : List.of("tcg", "kvm")) {
            machines.add(new QemuCaps.Machine(accel, "pc", null, true, null, null, 255));
            if ("x86_64".equals(arch)) {
                machines.add(new QemuCaps.Machine(accel, "q35", null, false, null, null, 288));
            }
            FAKE_CPU_MODELS.forEach(m -> cpus.add(new QemuCaps.CpuModel(accel, m, m + "-x86_64-cpu", true)));
        }
        String emulator = "i686".equals(arch) ? "/usr/bin/qemu-system-i386" : "/usr/bin/qemu-system-x86_64";
        return new QemuCaps(emulator, arch, 0, flags, machines, cpus);
    }

    /** libvirt's test driver config: /tmp/lib, spice TLS and password on, listen on 127.0.0.1, mocked hugetlbfs. */
    @SuppressWarnings("unchecked")
    static QemuConf testConf(ConformanceCase c) {
        Map<String, Object> overrides = (Map<String, Object>) c.fields().getOrDefault("driverConfigOverrides", Map.of());
        return new QemuConf(null, null, "127.0.0.1", "127.0.0.1",
            "true".equals(String.valueOf(overrides.get("vncAutoUnixSocket"))),
            "true".equals(String.valueOf(overrides.get("spiceAutoUnixSocket"))), true, "/etc/pki/libvirt-spice",
            null, "123456", 5900,
            List.of(new QemuConf.HugetlbfsMount("/dev/hugepages2M", 2048, true),
                new QemuConf.HugetlbfsMount("/dev/hugepages1G", 1048576, false)),
            Path.of("/tmp/lib"), Map.of("PATH", "/bin", "USER", "test", "LOGNAME", "test"), false,
            QemuConf.ArgvMode.TEST_SUITE, "tss", "tss");
    }
}
