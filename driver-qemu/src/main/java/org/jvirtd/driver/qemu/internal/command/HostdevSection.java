package org.jvirtd.driver.qemu.internal.command;

import java.util.List;

import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * The host PCI devices assigned to the guest: one vfio-pci device each, named hostdev0, hostdev1, ... in the
 * definition's order, at its guest PCI address, with its boot index and ROM settings as libvirt passes them.
 */
final class HostdevSection {
    private HostdevSection() {
    }

    static void hostdevs(BuildContext c, List<String> argv) {
        List<GuestDef.Hostdev> hostdevs = c.def.devices().hostdevs();
        for (int i = 0; i < hostdevs.size(); i++) {
            GuestDef.Hostdev h = hostdevs.get(i);
            Props props = Props.of("driver", "vfio-pci").put("host", h.host()).put("id", "hostdev" + i)
                .putAll(c.pciProps(h));
            if (h.bootOrder() > 0) {
                props.put("bootindex", h.bootOrder());
            }
            if (h.romBar() != null) {
                props.put("rombar", "on".equals(h.romBar()) ? 1 : 0);
            }
            c.device(argv, props.put("romfile", h.romFile()));
        }
    }
}
