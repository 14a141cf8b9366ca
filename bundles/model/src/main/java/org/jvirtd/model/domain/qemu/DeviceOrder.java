package org.jvirtd.model.domain.qemu;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.model.internal.XmlNode;

/**
 * The order in which libvirt visits a domain's devices (virDomainDeviceInfoIterate), which decides who gets an
 * address first where addresses are handed out in a single sweep.
 */
final class DeviceOrder {
    private static final List<String> ORDER = List.of("disk", "interface", "sound", "hostdev", "video",
        "controller", "smartcard", "serial", "parallel", "channel", "console", "input", "filesystem", "watchdog",
        "memballoon", "rng", "nvram", "hub", "shmem", "tpm", "panic", "memory", "redirdev", "vsock", "iommu",
        "crypto");

    private DeviceOrder() {
    }

    static List<XmlNode> devices(Guest guest) {
        List<XmlNode> all = new ArrayList<>();
        for (String name : ORDER) {
            all.addAll(guest.list(name));
        }
        return all;
    }
}
