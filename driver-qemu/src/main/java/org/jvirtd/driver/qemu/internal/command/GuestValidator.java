package org.jvirtd.driver.qemu.internal.command;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * The QEMU driver's checks of a definition against itself and the binary's capabilities, with libvirt's
 * messages; run when a definition is accepted and again before a command line is built.
 */
public final class GuestValidator {
    private GuestValidator() {
    }

    /** The checks that depend on qemu.conf: a SPICE TLS port needs spice_tls. */
    public static void validate(GuestDef def, QemuCaps caps, QemuConf cfg) {
        validate(def, caps);
        for (GuestDef.Graphics g : def.devices().graphics()) {
            if ("spice".equals(g.type()) && g.tlsPort() != null && g.tlsPort() > 0 && !cfg.spiceTls()) {
                throw unsupported("spice TLS port set in XML configuration, but TLS is disabled in qemu.conf");
            }
        }
    }

    public static void validate(GuestDef def, QemuCaps caps) {
        GuestDef.Devices d = def.devices();
        boolean perDeviceBoot = d.disks().stream().anyMatch(x -> x.bootOrder() > 0)
            || d.interfaces().stream().anyMatch(x -> x.bootOrder() > 0);
        if (perDeviceBoot && !def.os().bootDevs().isEmpty()) {
            throw unsupported("per-device boot elements cannot be used together with os/boot elements");
        }
        GuestDef.Loader loader = def.os().loader();
        if (loader != null && Boolean.TRUE.equals(loader.stateless()) && def.os().nvram() != null) {
            throw new VirtException(ErrorCode.XML_DETAIL, ErrorDomain.DOMAIN,
                "NVRAM is not permitted when loader is stateless");
        }
        for (GuestDef.Disk disk : d.disks()) {
            if (disk.shareable() && disk.format() != null && !"raw".equals(disk.format())) {
                throw unsupported("shared access for disk '" + disk.target()
                    + "' requires use of supported storage format");
            }
        }
        for (GuestDef.Interface net : d.interfaces()) {
            Integer rx = net.rxQueueSize();
            if (rx != null && (rx <= 0 || (rx & (rx - 1)) != 0)) {
                throw unsupported("rx_queue_size has to be a power of two");
            }
        }
        boolean usbOff = d.controllers().stream()
            .anyMatch(c -> "usb".equals(c.type()) && "none".equals(c.model()));
        if (usbOff && d.inputs().stream().anyMatch(i -> "usb".equals(i.bus()))) {
            throw unsupported("Can't add USB input device. USB bus is disabled");
        }
        if (usbOff && d.disks().stream().anyMatch(x -> "usb".equals(x.bus()))) {
            throw unsupported("Can't add USB disk device. USB bus is disabled");
        }
        iommus(def);
        boolean sharedMemory = "shared".equals(def.memoryBacking().access())
            || def.numa().stream().anyMatch(cell -> "shared".equals(cell.memAccess()));
        if (!sharedMemory && d.filesystems().stream().anyMatch(fs -> fs.virtiofs() != null)) {
            throw unsupported("'virtiofs' requires shared memory");
        }
        cpu(def, caps);
    }

    /** libvirt's IOMMU rules: Intel's on q35 only, virtio's on q35 (ARM virt elsewhere) and with ACPI. */
    private static void iommus(GuestDef def) {
        String machine = def.os().machine();
        boolean q35 = machine != null && machine.contains("q35");
        for (GuestDef.Iommu iommu : def.devices().iommus()) {
            if ("intel".equals(iommu.model()) && !q35) {
                throw unsupported("IOMMU device: 'intel' is only supported with Q35 machines");
            }
            if ("virtio".equals(iommu.model())) {
                if (!q35) {
                    throw unsupported("IOMMU device: 'virtio' is only supported with Q35 and ARM Virt machines");
                }
                if (!def.acpi()) {
                    throw unsupported("IOMMU device: 'virtio' requires ACPI");
                }
            }
        }
    }

    private static void cpu(GuestDef def, QemuCaps caps) {
        GuestDef.Cpu cpu = def.cpu();
        if (cpu == null) {
            return;
        }
        if ("host-passthrough".equals(cpu.mode()) && !def.isKvm()) {
            throw unsupported("CPU mode '" + cpu.mode() + "' for " + def.os().arch() + " " + def.type()
                + " domain on " + def.os().arch() + " host is not supported by hypervisor");
        }
        GuestDef.Topology t = cpu.topology();
        if (t != null && t.sockets() * t.dies() * t.cores() * t.threads() != def.vcpus()) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN,
                "CPU topology doesn't match maximum vcpu count");
        }
    }

    private static VirtException unsupported(String detail) {
        return new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU, detail);
    }
}
