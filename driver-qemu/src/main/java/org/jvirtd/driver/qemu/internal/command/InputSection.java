package org.jvirtd.driver.qemu.internal.command;

import java.util.List;

import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Input devices: PS/2 ones are part of the chipset; USB and virtio ones are devices of their own.
 */
final class InputSection {
    private InputSection() {
    }

    static void inputs(BuildContext c, List<String> argv) {
        List<GuestDef.Input> inputs = c.def.devices().inputs();
        UsbPorts usb = UsbPorts.of(c);
        for (int i = 0; i < inputs.size(); i++) {
            GuestDef.Input input = inputs.get(i);
            String kind = switch (input.type()) {
                case "tablet" -> "tablet";
                case "keyboard" -> "kbd";
                default -> "mouse";
            };
            if ("usb".equals(input.bus())) {
                c.device(argv, Props.of("driver", "usb-" + kind).put("id", "input" + i).put("bus", usb.busOf(input))
                    .put("port", usb.portOf(input)));
            } else if ("virtio".equals(input.bus())) {
                String driver = "virtio-" + ("kbd".equals(kind) ? "keyboard" : kind) + "-pci";
                c.device(argv, Props.of("driver", driver).put("id", "input" + i).putAll(c.pciProps(input)));
            }
        }
    }
}
