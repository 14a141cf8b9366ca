package org.jvirtd.model.domain.qemu;

import org.jvirtd.model.internal.XmlNode;

/** A definition without {@code <emulator>} runs on the capabilities' QEMU binary, as libvirt fills it in. */
final class EmulatorDefault {
    private EmulatorDefault() {
    }

    static void apply(Guest guest) {
        if (guest.devices.child("emulator") != null) {
            return;
        }
        XmlNode emulator = new XmlNode("emulator", null);
        emulator.setText(guest.caps.emulator() != null ? guest.caps.emulator() : "/usr/bin/qemu-system-" + qemuArch(guest));
        guest.devices.insert(0, emulator);
    }

    /** QEMU's name for the guest architecture in its binary's name (i686 runs on qemu-system-i386). */
    private static String qemuArch(Guest guest) {
        XmlNode type = guest.osType();
        String arch = type == null || type.attr("arch") == null ? "x86_64" : type.attr("arch");
        return switch (arch) {
            case "i686" -> "i386";
            case "ppc64le" -> "ppc64";
            case "armv6l", "armv7l" -> "arm";
            default -> arch;
        };
    }
}
