package org.jvirtd.nodedev;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Vendor and device names from the pci.ids database (Debian's /usr/share/misc/pci.ids), the names libvirt
 * gets through libpciaccess. Read once, on first use; a missing file leaves every device unnamed.
 */
final class PciIds {
    private final Path file;
    private Map<Integer, String> vendors;
    private Map<Long, String> devices;

    PciIds(Path file) {
        this.file = file;
    }

    synchronized String vendor(int vendorId) {
        load();
        return vendors.get(vendorId);
    }

    synchronized String device(int vendorId, int deviceId) {
        load();
        return devices.get(key(vendorId, deviceId));
    }

    private static long key(int vendorId, int deviceId) {
        return ((long) vendorId << 16) | deviceId;
    }

    private void load() {
        if (vendors != null) {
            return;
        }
        vendors = new HashMap<>();
        devices = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int vendor = -1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("C ")) {
                    break;
                }
                if (!line.startsWith("\t")) {
                    vendor = hexId(line);
                    if (vendor >= 0) {
                        vendors.put(vendor, line.substring(4).strip());
                    }
                } else if (!line.startsWith("\t\t") && vendor >= 0) {
                    int device = hexId(line.substring(1));
                    if (device >= 0) {
                        devices.put(key(vendor, device), line.substring(5).strip());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no database: devices stay unnamed, as libvirt's are without one
        }
    }

    private static int hexId(String line) {
        if (line.length() < 5 || line.charAt(4) != ' ' && line.charAt(4) != '\t') {
            return -1;
        }
        try {
            return Integer.parseInt(line.substring(0, 4), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
