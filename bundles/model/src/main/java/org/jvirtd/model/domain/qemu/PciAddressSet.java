package org.jvirtd.model.domain.qemu;

import static org.jvirtd.model.domain.qemu.PciConnect.*;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlNode;

/**
 * The PCI buses of a guest and the functions reserved on them; in a dry run it grows new buses (and the
 * controllers that provide them) when a device finds no free slot.
 */
final class PciAddressSet {
    private static final ErrorDomain D = ErrorDomain.QEMU;
    static final int SLOT_LAST = 31;

    /** One bus: its controller model, what it accepts, its slot range and reserved functions. */
    static final class Bus {
        String model;
        int flags;
        int minSlot;
        int maxSlot;
        final int[] functions = new int[SLOT_LAST + 1];
        final boolean[] aggregate = new boolean[SLOT_LAST + 1];

        boolean isEmpty() {
            for (int s = minSlot; s <= maxSlot; s++) {
                if (functions[s] != 0) {
                    return false;
                }
            }
            return true;
        }

        boolean isFullyReserved() {
            for (int s = minSlot; s <= maxSlot; s++) {
                if (functions[s] == 0) {
                    return false;
                }
            }
            return true;
        }
    }

    final List<Bus> buses = new ArrayList<>();
    final boolean dryRun;
    boolean multipleRoots;
    boolean pcieToPciBridgeSupported;

    PciAddressSet(int nbuses, boolean dryRun) {
        for (int i = 0; i < nbuses; i++) {
            buses.add(new Bus());
        }
        this.dryRun = dryRun;
    }

    static void setModel(Bus bus, String model, boolean hotplug) {
        int hp = hotplug ? HOTPLUGGABLE : 0;
        bus.minSlot = 0;
        bus.maxSlot = SLOT_LAST;
        switch (model) {
            case "pci-root" -> {
                bus.flags = AUTOASSIGN | PCI_DEVICE | PCI_BRIDGE | PCI_EXPANDER_BUS | hp;
                bus.minSlot = 1;
            }
            case "pci-bridge", "pcie-to-pci-bridge" -> {
                bus.flags = AUTOASSIGN | PCI_DEVICE | PCI_BRIDGE | hp;
                bus.minSlot = 1;
            }
            case "pci-expander-bus" -> bus.flags = AUTOASSIGN | PCI_DEVICE | PCI_BRIDGE | hp;
            case "pcie-root" -> {
                bus.flags = PCIE_DEVICE | PCIE_ROOT_PORT | DMI_TO_PCI_BRIDGE | PCIE_EXPANDER_BUS;
                bus.minSlot = 1;
            }
            case "dmi-to-pci-bridge" -> bus.flags = PCI_DEVICE | PCI_BRIDGE;
            case "pcie-root-port", "pcie-switch-downstream-port" -> {
                bus.flags = AUTOASSIGN | PCIE_DEVICE | SWITCH_UPSTREAM_PORT | PCIE_TO_PCI_BRIDGE | hp;
                bus.maxSlot = 0;
            }
            case "pcie-switch-upstream-port" -> bus.flags = SWITCH_DOWNSTREAM_PORT;
            case "pcie-expander-bus" -> bus.flags = PCIE_ROOT_PORT | DMI_TO_PCI_BRIDGE;
            default -> throw Errors.internal(D, "PCI controller model was not set correctly");
        }
        bus.model = model;
    }

    int nbuses() {
        return buses.size();
    }

    boolean slotInUse(PciAddress a) {
        return buses.get(a.bus).functions[a.slot] != 0;
    }

    private static boolean compatible(PciAddress a, int busFlags, int devFlags, boolean report, boolean fromConfig) {
        if ((devFlags & INTEGRATED) != 0) {
            if (a.bus != 0) {
                if (report) {
                    throw error(fromConfig, "The device at PCI address " + a
                        + " needs to be an integrated device (bus=0)");
                }
                return false;
            }
            busFlags |= PCI_DEVICE | AUTOASSIGN;
        }
        if (fromConfig) {
            if ((busFlags & ENDPOINTS) != 0) {
                busFlags |= ENDPOINTS;
            }
            if ((devFlags & PCI_BRIDGE) != 0) {
                devFlags |= PCI_DEVICE;
            }
        } else if ((devFlags & AUTOASSIGN) != 0 && (busFlags & AUTOASSIGN) == 0) {
            if (report) {
                throw error(false, "The device at PCI address " + a + " was auto-assigned this address, but the PCI"
                    + " controller with index='" + a.bus + "' doesn't allow auto-assignment");
            }
            return false;
        }
        if ((devFlags & HOTPLUGGABLE) != 0 && (busFlags & HOTPLUGGABLE) == 0) {
            if (report) {
                throw error(fromConfig, "The device at PCI address " + a + " requires hotplug capability, but the"
                    + " PCI controller with index='" + a.bus + "' doesn't support hotplug");
            }
            return false;
        }
        if ((devFlags & busFlags & TYPES_MASK) == 0) {
            if (report) {
                throw error(fromConfig, "The device at PCI address " + a + " cannot be plugged into the PCI"
                    + " controller with index='" + a.bus + "'. It requires a controller that accepts a "
                    + connectName(devFlags) + ".");
            }
            return false;
        }
        return true;
    }

    private static String connectName(int flags) {
        String[] names = {"standard PCI device", "PCI Express device", "pci-bridge", "dmi-to-pci-bridge",
            "pcie-root-port", "pcie-switch-upstream-port", "pcie-switch-downstream-port", "pci-expander-bus",
            "pcie-expander-bus", "pcie-to-pci-bridge"};
        int[] order = {0, 1, 4, 5, 6, 3, 9, 7, 8, 2};
        for (int bit : order) {
            if ((flags & (1 << bit)) != 0) {
                return names[bit];
            }
        }
        return "device";
    }

    private static VirtException error(boolean fromConfig, String message) {
        return fromConfig ? Errors.xml(D, message) : Errors.internal(D, message);
    }

    void validate(PciAddress a, int flags, boolean fromConfig) {
        if (buses.isEmpty()) {
            throw error(fromConfig, "No PCI buses available");
        }
        if (a.domain != 0) {
            throw error(fromConfig, "Invalid PCI address " + a + ". Only PCI domain 0 is available");
        }
        if (a.bus >= buses.size()) {
            throw error(fromConfig, "Invalid PCI address " + a + ". Only PCI buses up to " + (buses.size() - 1)
                + " are available");
        }
        Bus bus = buses.get(a.bus);
        compatible(a, bus.flags, flags, true, fromConfig);
        if (bus.minSlot > 0 && a.slot < bus.minSlot) {
            throw error(fromConfig, "Invalid PCI address " + a + ". slot must be >= " + bus.minSlot);
        }
        if (a.slot > bus.maxSlot) {
            throw error(fromConfig, "Invalid PCI address " + a + ". slot must be <= " + bus.maxSlot);
        }
        if (a.function > 7) {
            throw error(fromConfig, "Invalid PCI address " + a + ". function must be <= 7");
        }
    }

    /** Reserves one function; an address from the configuration may grow the bus list in a dry run. */
    void reserve(PciAddress a, int flags, boolean fromConfig) {
        if (dryRun) {
            grow(a, flags);
        }
        validate(a, flags, fromConfig);
        Bus bus = buses.get(a.bus);
        if ((bus.functions[a.slot] & (1 << a.function)) != 0) {
            throw error(fromConfig, "Attempted double use of PCI Address " + a);
        }
        if (bus.functions[a.slot] == 0 && (flags & AGGREGATE_SLOT) != 0) {
            bus.aggregate[a.slot] = true;
        }
        bus.functions[a.slot] |= 1 << a.function;
    }

    /** Finds and reserves the first free compatible slot (function {@code function}, or 0 for -1). */
    PciAddress reserveNext(int flags, int function) {
        PciAddress a = nextAddress(flags, function);
        reserve(a, flags, false);
        return a;
    }

    /** Reserves the next free slot for a device and gives it the address, except in a dry run. */
    PciAddress reserveNext(XmlNode device, int flags, int function) {
        PciAddress a = reserveNext(flags, function);
        if (!dryRun) {
            PciAddress old = PciAddress.of(device);
            a.multi = old == null ? null : old.multi;
            a.writeTo(device);
        }
        return a;
    }

    private PciAddress nextAddress(int flags, int function) {
        if (buses.isEmpty()) {
            throw Errors.xml(D, "No PCI buses available");
        }
        PciAddress a = new PciAddress(0, 0, function < 0 ? 0 : function);
        for (a.bus = 0; a.bus < buses.size(); a.bus++) {
            Bus bus = buses.get(a.bus);
            a.slot = bus.minSlot;
            if (findFreeFunction(bus, a, function, flags)) {
                return a;
            }
        }
        if (dryRun) {
            grow(a, flags);
            a.slot = buses.get(a.bus).minSlot;
            return a;
        }
        throw Errors.internal(D, "No more available PCI slots");
    }

    private static boolean findFreeFunction(Bus bus, PciAddress a, int function, int flags) {
        if (!compatible(a, bus.flags, flags, false, false)) {
            return false;
        }
        for (; a.slot <= bus.maxSlot; a.slot++) {
            if (bus.functions[a.slot] == 0) {
                return true;
            }
            if ((flags & AGGREGATE_SLOT) != 0 && bus.aggregate[a.slot]) {
                if ((bus.functions[a.slot] & (1 << a.function)) == 0) {
                    return true;
                }
                if (function == -1) {
                    for (; a.function < 8; a.function++) {
                        if ((bus.functions[a.slot] & (1 << a.function)) == 0) {
                            return true;
                        }
                    }
                    a.function = 0;
                }
            }
        }
        return false;
    }

    /** virDomainPCIAddressSetGrow: adds the buses (and bridges) the address needs. */
    private void grow(PciAddress a, int flags) {
        int add = a.bus - buses.size() + 1;
        if (add <= 0) {
            return;
        }
        String model;
        boolean needDmi = false;
        boolean needPcieToPci = false;
        if ((flags & PCI_DEVICE) != 0) {
            if (multipleRoots) {
                model = "pci-root";
            } else {
                model = "pci-bridge";
                boolean hasBridgeSlot = buses.stream().anyMatch(b -> (b.flags & PCI_BRIDGE) != 0);
                needDmi = !hasBridgeSlot && !pcieToPciBridgeSupported;
                needPcieToPci = !hasBridgeSlot && pcieToPciBridgeSupported;
                if ((needDmi || needPcieToPci) && add == 1) {
                    add++;
                    a.bus++;
                }
            }
        } else if ((flags & (PCIE_DEVICE | SWITCH_UPSTREAM_PORT)) != 0) {
            model = "pcie-root-port";
        } else {
            throw Errors.internal(D, "Cannot automatically add a new PCI bus for a device with connect flags "
                + Integer.toHexString(flags));
        }
        int first = buses.size();
        for (int i = 0; i < add; i++) {
            buses.add(new Bus());
        }
        int i = first;
        if (needDmi) {
            setModel(buses.get(i++), "dmi-to-pci-bridge", false);
        }
        if (needPcieToPci) {
            setModel(buses.get(i), "pcie-root-port", true);
            buses.get(i++).flags = PCIE_TO_PCI_BRIDGE;
            setModel(buses.get(i++), "pcie-to-pci-bridge", true);
        }
        for (; i < buses.size(); i++) {
            setModel(buses.get(i), model, true);
        }
    }
}
