package org.jvirtd.model.domain.qemu;

import org.jvirtd.model.internal.XmlNode;

/**
 * A guest PCI address (domain:bus:slot.function and the multifunction switch), read from and written to a device's
 * {@code <address type='pci'>} element.
 */
final class PciAddress {
    int domain;
    int bus;
    int slot;
    int function;
    String multi;

    PciAddress(int bus, int slot, int function) {
        this.bus = bus;
        this.slot = slot;
        this.function = function;
    }

    PciAddress copy() {
        PciAddress c = new PciAddress(bus, slot, function);
        c.domain = domain;
        c.multi = multi;
        return c;
    }

    /** The address of a device, or null when it has none of type pci. */
    static PciAddress of(XmlNode device) {
        XmlNode a = device.child("address");
        if (a == null || !"pci".equals(a.attr("type"))) {
            return null;
        }
        PciAddress p = new PciAddress(ImplicitDevices.number(a.attr("bus")), ImplicitDevices.number(a.attr("slot")),
            ImplicitDevices.number(a.attr("function")));
        p.domain = ImplicitDevices.number(a.attr("domain"));
        p.multi = a.attr("multifunction");
        return p;
    }

    /** virDeviceInfoPCIAddressIsPresent: a pci address that is not all zeros. */
    static boolean isPresent(XmlNode device) {
        PciAddress p = of(device);
        return p != null && !p.isEmpty();
    }

    /** virDeviceInfoPCIAddressIsWanted: no address at all, or an empty pci one. */
    static boolean isWanted(XmlNode device) {
        XmlNode a = device.child("address");
        if (a == null) {
            return true;
        }
        PciAddress p = of(device);
        return p != null && p.isEmpty();
    }

    boolean isEmpty() {
        return domain == 0 && bus == 0 && slot == 0 && function == 0;
    }

    boolean sameSlot(PciAddress o) {
        return domain == o.domain && bus == o.bus && slot == o.slot;
    }

    /** Writes this address into the device, keeping an existing element's children (zpci). */
    void writeTo(XmlNode device) {
        XmlNode a = device.child("address");
        if (a == null) {
            a = new XmlNode("address", null);
            device.children().add(a);
        }
        a.attributes().clear();
        a.set("type", "pci").set("domain", String.format("0x%04x", domain)).set("bus", String.format("0x%02x", bus))
            .set("slot", String.format("0x%02x", slot)).set("function", String.format("0x%x", function))
            .set("multifunction", multi);
    }

    @Override
    public String toString() {
        return String.format("%04x:%02x:%02x.%x", domain, bus, slot, function);
    }
}
