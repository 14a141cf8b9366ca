package org.jvirtd.nodedev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads sysfs attributes the way udev's sysattr lookup does: trimmed text, null when absent or unreadable. */
final class SysfsFiles {
    private SysfsFiles() {
    }

    static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A non-empty attribute, else null. */
    static String nonEmpty(Path file) {
        String text = read(file);
        return text == null || text.isEmpty() ? null : text;
    }

    static long readLong(Path file, long absent) {
        String text = read(file);
        if (text == null) {
            return absent;
        }
        try {
            return Long.decode(text);
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    /** The KEY=value lines of a device's uevent file. */
    static Map<String, String> uevent(Path device) {
        Map<String, String> properties = new LinkedHashMap<>();
        String text = read(device.resolve("uevent"));
        if (text != null) {
            for (String line : text.split("\n")) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    properties.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
        }
        return properties;
    }

    /** The last path element a symbolic link points to ({@code driver}, {@code subsystem}), or null. */
    static String linkName(Path link) {
        try {
            return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).getFileName().toString() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
