package org.jvirtd.driver.qemu.internal.firmware;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the firmware for {@code <os firmware='efi'>} (or 'bios') as libvirt does at start: the first
 * descriptor, in file-name order, that offers the interface, runs on the architecture and machine type, has
 * every feature the domain asks for with {@code <firmware><feature enabled='yes'/>} and none it refuses with
 * enabled='no', and does not need SMM where the domain turns SMM off. Only flash firmware with an NVRAM
 * template is a candidate, as it is the kind the driver can run.
 */
public final class FirmwareSelection {
    private FirmwareSelection() {
    }

    /**
     * @param firmware  the {@code <os firmware>} value (efi, bios)
     * @param requested {@code <firmware><feature>} names to enabled
     * @param smmOff    whether {@code <features><smm state='off'/>} is set
     */
    public static Optional<FirmwareDescriptor> choose(String firmware, String arch, String machine,
                                                      Map<String, Boolean> requested, boolean smmOff,
                                                      List<FirmwareDescriptor> descriptors) {
        String wanted = "efi".equals(firmware) ? "uefi" : firmware;
        return descriptors.stream()
            .filter(d -> d.interfaces().contains(wanted) && d.supports(arch, machine))
            .filter(d -> "flash".equals(d.device()) && d.executable() != null && d.nvramTemplate() != null)
            .filter(d -> requested.entrySet().stream().allMatch(r -> d.has(r.getKey()) == r.getValue()))
            .filter(d -> !(smmOff && d.has("requires-smm")))
            .findFirst();
    }
}
