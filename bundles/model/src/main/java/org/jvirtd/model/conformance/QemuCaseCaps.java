package org.jvirtd.model.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jvirtd.model.domain.qemu.QemuCaps;
import org.jvirtd.model.domain.qemu.QemuCapsXml;
import org.jvirtd.model.domain.qemu.QemuDefaultsConfig;

/**
 * The QEMU capabilities and driver settings a qemuxml2xml case runs with, from its cases.json entry.
 */
final class QemuCaseCaps {
    private QemuCaseCaps() {
    }

    @SuppressWarnings("unchecked")
    static QemuCaps caps(ConformanceCase c) throws IOException {
        Map<String, Object> caps = (Map<String, Object>) c.field("caps");
        if ("real".equals(caps.get("mode"))) {
            String xml = Files.readString(c.dir().resolveSibling(String.valueOf(caps.get("file"))),
                StandardCharsets.UTF_8);
            return QemuCapsXml.parse(xml, Boolean.TRUE.equals(caps.get("stripMachineAliases")));
        }
        Set<String> flags = new LinkedHashSet<>();
        for (String key : List.of("flagNames", "impliedFlagNames")) {
            if (caps.get(key) instanceof List<?> list) {
                list.forEach(f -> flags.add(String.valueOf(f)));
            }
        }
        String arch = String.valueOf(c.field("domainArch")).replaceFirst(" .*", "");
        return QemuCaps.ofFlags(arch, flags);
    }

    @SuppressWarnings("unchecked")
    static QemuDefaultsConfig config(ConformanceCase c) {
        Map<String, String> env = new HashMap<>();
        if (c.field("envOverrides") instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).forEach((k, v) -> env.put(k, String.valueOf(v)));
        }
        return new QemuDefaultsConfig(false, false, env, false);
    }
}
