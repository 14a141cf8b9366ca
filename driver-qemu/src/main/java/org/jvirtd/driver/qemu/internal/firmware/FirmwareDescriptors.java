package org.jvirtd.driver.qemu.internal.firmware;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.jvirtd.model.json.Json;

/**
 * Reads the firmware descriptors QEMU packages install, in the order QEMU's specification gives them: all
 * {@code *.json} files of the search folders by file name, a file in an earlier folder (/etc/qemu/firmware)
 * hiding the one of the same name in a later one (/usr/share/qemu/firmware). An empty file hides without
 * adding; a file that cannot be read or parsed is skipped, as libvirt skips it.
 */
public final class FirmwareDescriptors {
    /** The system folders, most important first. */
    public static final List<Path> SYSTEM_DIRS = List.of(Path.of("/etc/qemu/firmware"),
        Path.of("/usr/share/qemu/firmware"));

    private FirmwareDescriptors() {
    }

    public static List<FirmwareDescriptor> read(List<Path> dirs) {
        Map<String, Path> byName = new TreeMap<>();
        for (int i = dirs.size() - 1; i >= 0; i--) {
            try (Stream<Path> files = Files.list(dirs.get(i))) {
                files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .forEach(f -> byName.put(f.getFileName().toString(), f));
            } catch (IOException e) {
                // A folder that does not exist holds no descriptors.
            }
        }
        List<FirmwareDescriptor> result = new ArrayList<>();
        for (Path file : byName.values()) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                if (!text.isBlank()) {
                    result.add(parse(file.toString(), text));
                }
            } catch (IOException | RuntimeException e) {
                System.getLogger(FirmwareDescriptors.class.getName()).log(System.Logger.Level.WARNING,
                    "skipping firmware descriptor " + file + ": " + e.getMessage());
            }
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    static FirmwareDescriptor parse(String file, String json) {
        Map<String, Object> root = (Map<String, Object>) Json.read(json);
        Map<String, Object> mapping = (Map<String, Object>) root.getOrDefault("mapping", Map.of());
        List<FirmwareDescriptor.Target> targets = new ArrayList<>();
        for (Object t : (List<Object>) root.getOrDefault("targets", List.of())) {
            Map<String, Object> target = (Map<String, Object>) t;
            targets.add(new FirmwareDescriptor.Target(String.valueOf(target.get("architecture")),
                strings(target.get("machines"))));
        }
        return new FirmwareDescriptor(file, strings(root.get("interface-types")), (String) mapping.get("device"),
            filename(mapping.get("executable")), filename(mapping.get("nvram-template")), targets,
            strings(root.get("features")));
    }

    @SuppressWarnings("unchecked")
    private static String filename(Object member) {
        return member instanceof Map<?, ?> m ? (String) ((Map<String, Object>) m).get("filename") : null;
    }

    private static List<String> strings(Object list) {
        List<String> result = new ArrayList<>();
        if (list instanceof List<?> values) {
            values.forEach(v -> result.add(String.valueOf(v)));
        }
        return result;
    }
}
