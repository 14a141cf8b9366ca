package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.driver.qemu.internal.caps.QemuCapsXml;
import org.jvirtd.model.domain.DomainEditor;
import org.jvirtd.model.domain.DomainXml;
import org.junit.jupiter.api.Test;

/**
 * What lets a define skip a parse and format round: the post-parse pass's output is already in the form the
 * model's parse and format give it, for every definition of libvirt's qemuxml2xml inputs the pass takes with
 * QEMU 8.0's capabilities. The driver used to put that output through the editor once more, a sixth of a
 * define's CPU time.
 */
class PostParseFixedPointTest {
    private static final Path SHARED = Path.of(System.getProperty("jvirtd.shared", "../../shared"), "conformance");

    @Test
    void thePassOutputIsWhatAParseAndFormatOfItGive() throws IOException {
        QemuCaps caps = QemuCapsXml.parse(Files.readString(SHARED.resolve("qemucaps/caps_8.0.0.x86_64.xml"),
            StandardCharsets.UTF_8), "x86_64");
        List<Path> inputs;
        try (Stream<Path> files = Files.list(SHARED.resolve("qemuxml2xml/in"))) {
            inputs = files.filter(f -> f.toString().endsWith(".xml")).sorted().toList();
        }
        List<String> changed = new ArrayList<>();
        int passed = 0;
        for (Path input : inputs) {
            String output;
            try {
                output = PostParse.apply(Files.readString(input, StandardCharsets.UTF_8), caps, Map.of());
            } catch (VirtException e) {
                continue; // a definition these capabilities refuse (other arch, missing feature)
            }
            passed++;
            if (!DomainEditor.of(output).format(-1, DomainXml.SECURE).equals(output)) {
                changed.add(input.getFileName().toString());
            }
        }
        assertTrue(passed >= 200, "only " + passed + " of " + inputs.size() + " inputs went through the pass");
        assertEquals(List.of(), changed, "inputs whose post-parse output a parse and format change");
    }

    @Test
    void theProbedCapabilitiesAreConvertedOncePerProbe() {
        QemuCaps probed = new QemuCaps("/usr/bin/qemu-system-x86_64", "x86_64", 8_000_000, java.util.Set.of(),
            List.of(new QemuCaps.Machine("kvm", "pc-i440fx-8.0", "pc", true, null, null, 255)),
            List.of(new QemuCaps.CpuModel("kvm", "qemu64", "qemu64-x86_64-cpu", true)));
        assertSame(PostParse.modelCaps(probed), PostParse.modelCaps(probed));
        QemuCaps reprobed = new QemuCaps(probed.emulator(), probed.arch(), probed.version(), probed.flags(),
            probed.machines(), probed.cpuModels());
        assertTrue(PostParse.modelCaps(reprobed) != PostParse.modelCaps(probed), "a new probe converts again");
    }
}
