package org.jvirtd.driver.qemu.internal.firmware;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One QEMU firmware descriptor (QEMU's docs/interop/firmware.json): the interfaces a firmware offers
 * (uefi, bios), how it is mapped (flash, memory), its executable and NVRAM template, the architectures
 * and machine types (glob patterns) it runs on, and its features (secure-boot, requires-smm, ...).
 */
public record FirmwareDescriptor(String file, List<String> interfaces, String device, String executable,
                                 String nvramTemplate, List<Target> targets, List<String> features) {

    /** An architecture and the machine-type patterns the firmware supports on it. */
    public record Target(String architecture, List<String> machines) {
    }

    public FirmwareDescriptor {
        interfaces = List.copyOf(interfaces);
        targets = List.copyOf(targets);
        features = List.copyOf(features);
    }

    /** Whether the firmware runs on this architecture and machine type. */
    public boolean supports(String arch, String machine) {
        return targets.stream().anyMatch(t -> t.architecture().equals(arch)
            && t.machines().stream().anyMatch(pattern -> glob(pattern).matcher(machine).matches()));
    }

    public boolean has(String feature) {
        return features.contains(feature);
    }

    /** A shell-style pattern: {@code *} any run of characters, {@code ?} one character. */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            switch (ch) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(Character.toString(ch)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
