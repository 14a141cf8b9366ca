package org.jvirtd.model.domain.qemu;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.model.domain.DomainXml;
import org.jvirtd.model.internal.XmlNode;

/**
 * The QEMU driver's post-parse pass: machine type, default devices, CPU and device defaults, implicit
 * controllers and device addresses (virtio-serial, spapr-vio, CCW, virtio-mmio, PCI), in libvirt's order.
 */
public final class QemuDomainDefaults {
    private QemuDomainDefaults() {
    }

    /** A new domain with guest NUMA cells has the memory of its cells and memory devices, as libvirt sizes it. */
    private static void memoryFromNuma(XmlNode root) {
        long derived = org.jvirtd.model.domain.MemorySizes.derivedKiB(root);
        XmlNode memory = root.child("memory");
        if (derived > 0 && memory != null) {
            memory.set("unit", "KiB");
            memory.setText(Long.toString(derived));
        }
    }

    /** Returns the definition as libvirt's QEMU driver would hold it after parsing, for this QEMU binary. */
    public static DomainDef apply(DomainDef def, QemuCaps caps, QemuDefaultsConfig config) {
        XmlNode root = XmlNode.parse(DomainXml.format(def, def.id(), DomainXml.SECURE), ErrorDomain.DOMAIN,
            "domain_definition");
        Guest guest = new Guest(root, caps, config);
        EmulatorDefault.apply(guest);
        GenericGaps.apply(guest);
        SeclabelDefaults.apply(guest, def.id() < 0);
        MachineDefaults.apply(guest);
        LoaderDefaults.apply(guest);
        DefaultDevices.apply(guest);
        CpuDefaults.applyDefaultModel(guest);
        CpuDefaults.applyGic(guest);
        CpuDefaults.applyCheck(guest);
        ConsoleCompat.apply(guest);
        DeviceDefaults.apply(guest);
        ShmemDefaults.apply(guest);
        NumaCpus.apply(guest);
        MemorySlots.apply(guest);
        ImplicitDevices.apply(guest);
        DeviceDefaults.applyToAddedControllers(guest);
        VirtioSerialPorts.apply(guest);
        SpaprVioAddresses.apply(guest);
        VirtioBusAddresses.apply(guest);
        PciAssigner.apply(guest);
        if (config.newDomain()) {
            UsbAddresses.apply(guest);
            memoryFromNuma(root);
        }
        ConsoleCompat.finish(guest);
        // Parsed as it came: an inactive definition lost its runtime parts when it was first parsed.
        return DomainXml.parse(root.toTag().toString(), 0);
    }
}
