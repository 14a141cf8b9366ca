package org.jvirtd.driver.qemu.internal.command;

import java.util.IdentityHashMap;
import java.util.Map;

import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * USB port numbers on usb.0, handed out in libvirt's device order: smartcard (CCID) controllers, input
 * devices, disks, redirected devices.
 */
final class UsbPorts {
    private final Map<Object, Integer> ports = new IdentityHashMap<>();

    private UsbPorts() {
    }

    static UsbPorts of(BuildContext c) {
        GuestDef def = c.def;
        UsbPorts usb = new UsbPorts();
        int next = 1;
        for (GuestDef.Controller ccid : c.controllersOf("ccid")) {
            usb.ports.put(ccid, next++);
        }
        for (GuestDef.Input input : def.devices().inputs()) {
            if ("usb".equals(input.bus())) {
                usb.ports.put(input, next++);
            }
        }
        for (GuestDef.Disk disk : def.devices().disks()) {
            if ("usb".equals(disk.bus())) {
                usb.ports.put(disk, next++);
            }
        }
        for (GuestDef.Redirdev redirdev : def.devices().redirdevs()) {
            usb.ports.put(redirdev, next++);
        }
        return usb;
    }

    String portOf(Object device) {
        return Integer.toString(ports.getOrDefault(device, 0));
    }
}
