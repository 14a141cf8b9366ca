package org.jvirtd.driver.qemu.internal.command;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Boot indexes: per-device boot elements as written, or os/boot devices mapped to the first disk,
 * cdrom, floppy or interface, each numbered by its place in the list of boot elements (the last place
 * where a kind is listed twice).
 */
final class BootOrder {
    private final Map<Object, Integer> indexes = new IdentityHashMap<>();

    private BootOrder() {
    }

    static BootOrder of(GuestDef def) {
        BootOrder order = new BootOrder();
        GuestDef.Devices d = def.devices();
        d.disks().stream().filter(x -> x.bootOrder() > 0).forEach(x -> order.indexes.put(x, x.bootOrder()));
        d.interfaces().stream().filter(x -> x.bootOrder() > 0).forEach(x -> order.indexes.put(x, x.bootOrder()));
        if (!order.indexes.isEmpty()) {
            return order;
        }
        List<String> devs = def.os().bootDevs().isEmpty() && def.os().kernel() == null && def.os().loader() == null
            ? List.of("hd") : def.os().bootDevs();
        // each kind's first device boots at the kind's place in the list (a kind without a device keeps its place)
        for (int i = 0; i < devs.size(); i++) {
            Object target = switch (devs.get(i)) {
                case "hd" -> d.disks().stream().filter(x -> "disk".equals(x.device()) || "lun".equals(x.device()))
                    .findFirst().orElse(null);
                case "cdrom" -> d.disks().stream().filter(GuestDef.Disk::isCdrom).findFirst().orElse(null);
                case "fd" -> d.disks().stream().filter(x -> "floppy".equals(x.device())).findFirst().orElse(null);
                case "network" -> d.interfaces().isEmpty() ? null : d.interfaces().get(0);
                default -> null;
            };
            if (target != null) {
                order.indexes.put(target, i + 1);
            }
        }
        return order;
    }

    int indexOf(Object device) {
        return indexes.getOrDefault(device, 0);
    }
}
