package org.jvirtd.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * virConnectGetSysinfo on x86: the host's SMBIOS tables as {@code dmidecode -q -t 0,1,2,3,4,11,17} prints them
 * (BIOS, system, base board, chassis, processors, memory devices, OEM strings), in libvirt's
 * {@code <sysinfo type='smbios'>} layout. A host without SMBIOS (dmidecode finds no entry point) gets libvirt's
 * "Host SMBIOS information is not available".
 */
final class HostSysinfo {
    /** dmidecode's field labels and libvirt's entry names, per section, in libvirt's order. */
    private static final Map<String, List<String[]>> FIELDS = Map.of(
        "bios", List.of(new String[] {"Vendor", "vendor"}, new String[] {"Version", "version"},
            new String[] {"Release Date", "date"}, new String[] {"BIOS Revision", "release"}),
        "system", List.of(new String[] {"Manufacturer", "manufacturer"}, new String[] {"Product Name", "product"},
            new String[] {"Version", "version"}, new String[] {"Serial Number", "serial"},
            new String[] {"UUID", "uuid"}, new String[] {"SKU Number", "sku"}, new String[] {"Family", "family"}),
        "baseBoard", List.of(new String[] {"Manufacturer", "manufacturer"}, new String[] {"Product Name", "product"},
            new String[] {"Version", "version"}, new String[] {"Serial Number", "serial"},
            new String[] {"Asset Tag", "asset"}, new String[] {"Location In Chassis", "location"}),
        "chassis", List.of(new String[] {"Manufacturer", "manufacturer"}, new String[] {"Version", "version"},
            new String[] {"Serial Number", "serial"}, new String[] {"Asset Tag", "asset"},
            new String[] {"SKU Number", "sku"}),
        "processor", List.of(new String[] {"Socket Designation", "socket_destination"},
            new String[] {"Type", "type"}, new String[] {"Family", "family"},
            new String[] {"Manufacturer", "manufacturer"}, new String[] {"Signature", "signature"},
            new String[] {"Version", "version"}, new String[] {"External Clock", "external_clock"},
            new String[] {"Max Speed", "max_speed"}, new String[] {"Status", "status"},
            new String[] {"Serial Number", "serial_number"}, new String[] {"Part Number", "part_number"}),
        "memory_device", List.of(new String[] {"Size", "size"}, new String[] {"Form Factor", "form_factor"},
            new String[] {"Locator", "locator"}, new String[] {"Bank Locator", "bank_locator"},
            new String[] {"Type", "type"}, new String[] {"Type Detail", "type_detail"},
            new String[] {"Speed", "speed"}, new String[] {"Manufacturer", "manufacturer"},
            new String[] {"Serial Number", "serial_number"}, new String[] {"Part Number", "part_number"}));
    private static final Map<String, String> SECTIONS = Map.of("BIOS Information", "bios",
        "System Information", "system", "Base Board Information", "baseBoard", "Chassis Information", "chassis",
        "Processor Information", "processor", "Memory Device", "memory_device", "OEM Strings", "oemStrings");
    private static final List<String> ORDER = List.of("bios", "system", "baseBoard", "chassis", "processor",
        "memory_device", "oemStrings");

    private HostSysinfo() {
    }

    /** Runs dmidecode and formats what it printed. */
    static String read() {
        String output;
        try {
            Process p = new ProcessBuilder("dmidecode", "-q", "-t", "0,1,2,3,4,11,17").redirectErrorStream(false)
                .start();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || output.isBlank()) {
                throw notAvailable();
            }
        } catch (IOException e) {
            throw notAvailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw notAvailable();
        }
        return format(output);
    }

    /** The sysinfo document of dmidecode's output, indented as libvirt writes it. */
    static String format(String dmidecode) {
        List<Map.Entry<String, List<String>>> blocks = blocks(dmidecode);
        StringBuilder out = new StringBuilder("<sysinfo type='smbios'>\n");
        for (String section : ORDER) {
            for (Map.Entry<String, List<String>> block : blocks) {
                if (!section.equals(block.getKey()) || section.equals("memory_device")
                    && "No Module Installed".equals(value(block.getValue(), "Size"))) {
                    continue;
                }
                List<String> entries = new ArrayList<>();
                if (section.equals("oemStrings")) {
                    for (String line : block.getValue()) {
                        if (line.startsWith("String ") && line.contains(": ")) {
                            entries.add("<entry>" + escape(line.substring(line.indexOf(": ") + 2)) + "</entry>");
                        }
                    }
                } else {
                    for (String[] field : FIELDS.get(section)) {
                        String value = value(block.getValue(), field[0]);
                        if (value != null && !value.isEmpty()) {
                            entries.add("<entry name='" + field[1] + "'>" + escape(value) + "</entry>");
                        }
                    }
                }
                if (!entries.isEmpty()) {
                    out.append("  <").append(section).append(">\n");
                    entries.forEach(e -> out.append("    ").append(e).append('\n'));
                    out.append("  </").append(section).append(">\n");
                }
                if (section.equals("bios") || section.equals("system") || section.equals("chassis")) {
                    break;
                }
            }
        }
        return out.append("</sysinfo>\n").toString();
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
    }

    /** dmidecode's sections: a title line, then tab-indented "Label: value" lines, until a blank line. */
    private static List<Map.Entry<String, List<String>>> blocks(String text) {
        List<Map.Entry<String, List<String>>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                current = null;
            } else if (!line.startsWith("\t") && !line.startsWith(" ")) {
                String section = SECTIONS.get(line.strip());
                current = section == null ? null : new ArrayList<>();
                if (section != null) {
                    blocks.add(Map.entry(section, current));
                }
            } else if (current != null) {
                current.add(line.strip());
            }
        }
        return blocks;
    }

    private static String value(List<String> lines, String label) {
        for (String line : lines) {
            if (line.startsWith(label + ": ")) {
                return line.substring(label.length() + 2).strip();
            }
            if (line.equals(label + ":")) {
                return "";
            }
        }
        return null;
    }

    private static VirtException notAvailable() {
        return new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
            "Host SMBIOS information is not available");
    }
}
