package org.jvirtd.driver.qemu.internal.command;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * The USB bus and port of each USB device: the address the definition gives it (post-parse fills them in
 * as libvirt does), else the next free port of usb.0 in libvirt's device order: smartcard (CCID)
 * controllers, input devices, disks, redirected devices, host USB devices.
 */
final class UsbPorts {
    private final Map<Object, GuestDef.UsbAddress> addresses = new IdentityHashMap<>();
    private final Set<String> taken = new HashSet<>();
    private int next = 1;

    private UsbPorts() {
    }

    static UsbPorts of(BuildContext c) {
        GuestDef def = c.def;
        UsbPorts usb = new UsbPorts();
        def.devices().inputs().stream().filter(i -> i.usb() != null).forEach(i -> usb.place(i, i.usb()));
        def.devices().redirdevs().stream().filter(r -> r.usb() != null).forEach(r -> usb.place(r, r.usb()));
        def.devices().hostdevs().stream().filter(h -> h.usb() != null).forEach(h -> usb.place(h, h.usb()));
        for (GuestDef.Controller ccid : c.controllersOf("ccid")) {
            usb.assign(ccid);
        }
        for (GuestDef.Input input : def.devices().inputs()) {
            if ("usb".equals(input.bus()) && input.usb() == null) {
                usb.assign(input);
            }
        }
        for (GuestDef.Disk disk : def.devices().disks()) {
            if ("usb".equals(disk.bus())) {
                usb.assign(disk);
            }
        }
        for (GuestDef.Redirdev redirdev : def.devices().redirdevs()) {
            if (redirdev.usb() == null) {
                usb.assign(redirdev);
            }
        }
        for (GuestDef.Hostdev hostdev : def.devices().hostdevs()) {
            if ("usb".equals(hostdev.type()) && hostdev.usb() == null) {
                usb.assign(hostdev);
            }
        }
        return usb;
    }

    private void place(Object device, GuestDef.UsbAddress address) {
        addresses.put(device, address);
        taken.add(address.bus() + ":" + address.port());
    }

    private void assign(Object device) {
        while (taken.contains("0:" + next)) {
            next++;
        }
        place(device, new GuestDef.UsbAddress(0, Integer.toString(next++)));
    }

    String portOf(Object device) {
        GuestDef.UsbAddress address = addresses.get(device);
        return address == null ? "0" : address.port();
    }

    /** The QEMU bus of the device's USB controller: {@code usb.0} for controller 0, {@code usbN.0} for N. */
    String busOf(Object device) {
        GuestDef.UsbAddress address = addresses.get(device);
        return address == null || address.bus() == 0 ? "usb.0" : "usb" + address.bus() + ".0";
    }
}
