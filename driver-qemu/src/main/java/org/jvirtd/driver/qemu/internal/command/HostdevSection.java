package org.jvirtd.driver.qemu.internal.command;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Host devices as libvirt passes them after the redirected USB devices: a PCI device through VFIO
 * ({@code vfio-pci} with the host address; QEMU opens the device's VFIO group itself), a mediated device by its
 * sysfs path, a USB device by its device node on its USB port. Other kinds (a USB device named by vendor and product
 * only, SCSI, ...) are refused rather than left out of the guest.
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
        UsbPorts usb = UsbPorts.of(c);
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
            } else if ("usb".equals(h.type()) && h.usbHostDevice() != null) {
                c.device(argv, Props.of("driver", "usb-host").put("hostdevice", h.usbHostDevice()).put("id", alias)
                    .put("guest-reset", h.guestReset() == null ? null : !"off".equals(h.guestReset()))
                    .put("guest-resets-all", h.guestReset() == null || "off".equals(h.guestReset()) ? null
                        : "on".equals(h.guestReset()))
                    .put("bootindex", h.bootOrder() > 0 ? h.bootOrder() : null)
                    .put("bus", usb.busOf(h)).put("port", usb.portOf(h)));
            } else {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "jvirtd does not pass host devices of type '" + h.type() + "' yet");
            }
        }
    }
}
