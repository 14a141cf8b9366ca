package org.jvirtd.driver.qemu.internal.command;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Host devices as libvirt passes them after the redirected USB devices: a PCI device through VFIO
 * ({@code vfio-pci} with the host address; QEMU opens the device's VFIO group itself), a mediated device by its
 * sysfs path. Other kinds are refused rather than left out of the guest.
 */
final class HostdevSection {
    private HostdevSection() {
    }

    /** Whether the host device is a PCI device of the guest (it takes a PCI address). */
    static boolean isPci(GuestDef.Hostdev hostdev) {
        return "pci".equals(hostdev.type()) || "mdev".equals(hostdev.type()) && "vfio-pci".equals(hostdev.model());
    }

    static void hostdevs(BuildContext c, List<String> argv) {
        List<GuestDef.Hostdev> hostdevs = c.def.devices().hostdevs();
        for (int i = 0; i < hostdevs.size(); i++) {
            GuestDef.Hostdev h = hostdevs.get(i);
            String alias = "hostdev" + i;
            if ("pci".equals(h.type()) && h.pciHost() != null) {
                c.device(argv, Props.of("driver", "vfio-pci").put("host", h.pciHost()).put("id", alias)
                    .put("bootindex", h.bootOrder() > 0 ? h.bootOrder() : null).putAll(c.pciProps(h)));
            } else if (isPci(h) && h.mdevUuid() != null) {
                c.device(argv, Props.of("driver", "vfio-pci").put("id", alias)
                    .put("sysfsdev", "/sys/bus/mdev/devices/" + h.mdevUuid()).put("display", h.display())
                    .put("bootindex", h.bootOrder() > 0 ? h.bootOrder() : null).putAll(c.pciProps(h)));
            } else {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "jvirtd does not pass host devices of type '" + h.type() + "' yet");
            }
        }
    }
}
