package org.jvirtd.driver.qemu.internal.command;

import java.util.List;

import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Network interfaces: a {@code -netdev} backend (user networking, or a TAP device for ethernet, bridge
 * and network interfaces) and the guest NIC.
 */
final class NetSection {
    private NetSection() {
    }

    static void interfaces(BuildContext c, List<String> argv) {
        BootOrder boot = BootOrder.of(c.def);
        List<GuestDef.Interface> nets = c.def.devices().interfaces();
        int tapFd = 3;
        for (int i = 0; i < nets.size(); i++) {
            GuestDef.Interface net = nets.get(i);
            Props backend;
            if ("user".equals(net.type())) {
                backend = Props.of("type", "user");
            } else if (c.cfg.argvMode() != QemuConf.ArgvMode.LAUNCH) {
                backend = Props.of("type", "tap").put("fd", Integer.toString(tapFd++));
            } else {
                backend = Props.of("type", "tap").put("ifname", tapName(net, i))
                    .put("script", net.script() != null && "ethernet".equals(net.type()) ? net.script() : "no")
                    .put("downscript", "no");
            }
            backend.put("id", "hostnet" + i);
            argv.add("-netdev");
            argv.add(c.jsonNetdev() ? backend.json() : backend.legacy("type"));
            c.device(argv, deviceProps(c, net, i, boot.indexOf(net)));
        }
    }

    /** The TAP device of an interface: its target dev, else vnet plus its position. */
    static String tapName(GuestDef.Interface net, int index) {
        return net.targetDev() != null ? net.targetDev() : "vnet" + index;
    }

    static Props deviceProps(BuildContext c, GuestDef.Interface net, int index, int bootIndex) {
        return Props.of("driver", nicDriver(net.model())).put("netdev", "hostnet" + index).put("id", "net" + index)
            .put("mac", net.mac()).put("rx_queue_size", net.rxQueueSize())
            .put("bootindex", bootIndex > 0 ? bootIndex : null).putAll(c.pciProps(net));
    }

    static String nicDriver(String model) {
        if (model == null) {
            return "rtl8139";
        }
        return switch (model) {
            case "virtio" -> "virtio-net-pci";
            case "e1000e" -> "e1000e";
            default -> model;
        };
    }
}
