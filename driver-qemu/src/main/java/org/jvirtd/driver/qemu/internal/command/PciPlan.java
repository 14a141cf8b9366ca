package org.jvirtd.driver.qemu.internal.command;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Gives every PCI device its address the way libvirt does: addresses from the XML first, the chipset's
 * fixed functions, the primary video, then the rest in libvirt's device order. On q35 each device gets
 * a pcie-root-port of its own: the definition's own root ports first, in index order, then new ones; a
 * definition without root ports of its own whose devices needed new ones gets one spare for hotplug. An ICH9 USB2 set (EHCI and UHCI companions of
 * one index) shares one slot: the EHCI at function 7, UHCI n at function n-1; on q35 sets 0 and 1 sit in
 * the chipset's own USB slots 0x1d and 0x1a.
 */
final class PciPlan {
    /** A pcie-root-port libvirt adds on q35: {@code pci.<index>} at pcie.0 slot/function. */
    record RootPort(int index, int slot, int function, boolean multifunction) {
    }

    /** The ICH9 USB2 models, in the order of their function in the set's slot (EHCI last, at 7). */
    private static final List<String> USB2_SET = List.of("ich9-uhci1", "ich9-uhci2", "ich9-uhci3", "ich9-ehci1");
    private static final List<Integer> Q35_USB2_SLOTS = List.of(0x1d, 0x1a);

    private final Map<Object, GuestDef.PciAddress> addresses = new IdentityHashMap<>();
    private final BitSet usedSlots = new BitSet(32);
    private final List<RootPort> rootPorts = new ArrayList<>();
    /** The indexes of root ports that hold a device. */
    private final Set<Integer> occupiedPorts = new HashSet<>();
    private final boolean q35;
    private int rootPortSlot = -1;

    private PciPlan(boolean q35) {
        this.q35 = q35;
    }

    static PciPlan assign(BuildContext c) {
        PciPlan plan = new PciPlan(c.q35);
        GuestDef.Devices d = c.def.devices();
        plan.usedSlots.set(0);
        for (Object device : explicitlyAddressed(c)) {
            plan.addresses.put(device, pciOf(device));
            plan.usedSlots.set(pciOf(device).slot());
        }
        plan.chipset(c);
        boolean ownRootPorts = c.q35 && plan.definedRootPorts(c);
        d.filesystems().forEach(plan::next);
        for (GuestDef.Interface net : d.interfaces()) {
            plan.next(net);
        }
        d.sounds().stream().filter(SoundSection::isPci).forEach(plan::next);
        for (GuestDef.Controller ctl : c.controllers) {
            if (wantsPci(ctl, c) && isUsb2(ctl)) {
                plan.usb2(ctl, c.controllers);
            } else if (wantsPci(ctl, c)) {
                plan.next(ctl);
            }
        }
        for (GuestDef.Disk disk : d.disks()) {
            if ("virtio".equals(disk.bus())) {
                plan.next(disk);
            }
        }
        d.hostdevs().stream().filter(HostdevSection::isPci).forEach(plan::next);
        if (d.memballoon() != null && "virtio".equals(d.memballoon().model())) {
            plan.next(d.memballoon());
        }
        d.rngs().forEach(plan::next);
        d.watchdogs().stream().filter(w -> "i6300esb".equals(w.model())).forEach(plan::next);
        d.videos().stream().skip(1).forEach(plan::next);
        d.inputs().stream().filter(i -> "virtio".equals(i.bus())).forEach(plan::next);
        d.vsocks().forEach(plan::next);
        if (c.q35 && !ownRootPorts && !plan.rootPorts.isEmpty()) {
            plan.newRootPort(); // libvirt adds a spare for hotplug to the root ports it added itself
        }
        return plan;
    }

    private static List<Object> explicitlyAddressed(BuildContext c) {
        List<Object> result = new ArrayList<>();
        GuestDef.Devices d = c.def.devices();
        c.controllers.stream().filter(x -> x.pci() != null).forEach(result::add);
        d.interfaces().stream().filter(x -> x.pci() != null).forEach(result::add);
        d.disks().stream().filter(x -> x.pci() != null).forEach(result::add);
        d.videos().stream().filter(x -> x.pci() != null).forEach(result::add);
        d.rngs().stream().filter(x -> x.pci() != null).forEach(result::add);
        d.watchdogs().stream().filter(x -> x.pci() != null).forEach(result::add);
        d.sounds().stream().filter(x -> x.pci() != null).forEach(result::add);
        d.filesystems().stream().filter(x -> x.pci() != null).forEach(result::add);
        d.vsocks().stream().filter(x -> x.pci() != null).forEach(result::add);
        d.iommus().stream().filter(x -> x.pci() != null).forEach(result::add);
        d.hostdevs().stream().filter(x -> x.pci() != null).forEach(result::add);
        d.inputs().stream().filter(x -> x.pci() != null).forEach(result::add);
        if (d.memballoon() != null && d.memballoon().pci() != null) {
            result.add(d.memballoon());
        }
        return result;
    }

    private static GuestDef.PciAddress pciOf(Object device) {
        if (device instanceof GuestDef.Controller x) {
            return x.pci();
        } else if (device instanceof GuestDef.Interface x) {
            return x.pci();
        } else if (device instanceof GuestDef.Disk x) {
            return x.pci();
        } else if (device instanceof GuestDef.Video x) {
            return x.pci();
        } else if (device instanceof GuestDef.Rng x) {
            return x.pci();
        } else if (device instanceof GuestDef.Watchdog x) {
            return x.pci();
        } else if (device instanceof GuestDef.Sound x) {
            return x.pci();
        } else if (device instanceof GuestDef.Filesystem x) {
            return x.pci();
        } else if (device instanceof GuestDef.Vsock x) {
            return x.pci();
        } else if (device instanceof GuestDef.Iommu x) {
            return x.pci();
        } else if (device instanceof GuestDef.Hostdev x) {
            return x.pci();
        } else if (device instanceof GuestDef.Input x) {
            return x.pci();
        }
        return ((GuestDef.Memballoon) device).pci();
    }

    private static boolean wantsPci(GuestDef.Controller ctl, BuildContext c) {
        return switch (ctl.type()) {
            case "pci", "fdc", "ccid" -> false;
            case "usb" -> !"none".equals(ctl.model()) && !(ctl.index() == 0 && isPiix3Usb(ctl, c));
            case "ide" -> ctl.index() != 0 || c.q35;
            case "sata" -> !(c.q35 && ctl.index() == 0);
            case "scsi" -> !"ibmvscsi".equals(ctl.model());
            default -> true;
        };
    }

    /** The PIIX3 USB function of the pc chipset (0:1.2), which needs no slot of its own. */
    static boolean isPiix3Usb(GuestDef.Controller ctl, BuildContext c) {
        return !c.q35 && ctl.type().equals("usb") && (ctl.model() == null || "piix3-uhci".equals(ctl.model()));
    }

    private void chipset(BuildContext c) {
        if (c.q35) {
            usedSlots.set(0x1f);
        } else {
            usedSlots.set(1);
            for (GuestDef.Controller ctl : c.controllers) {
                if (ctl.index() == 0 && ctl.pci() == null && ("ide".equals(ctl.type()) || isPiix3Usb(ctl, c))) {
                    addresses.put(ctl, new GuestDef.PciAddress(0, 0, 1, "ide".equals(ctl.type()) ? 1 : 2, null));
                }
            }
        }
        List<GuestDef.Video> videos = c.def.devices().videos();
        if (!videos.isEmpty() && videos.get(0).pci() == null && !"none".equals(videos.get(0).model())) {
            int slot = c.q35 ? 1 : 2;
            if (usedSlots.get(slot)) {
                next(videos.get(0));
            } else {
                usedSlots.set(slot);
                addresses.put(videos.get(0), new GuestDef.PciAddress(0, 0, slot, 0, null));
            }
        }
    }

    private static boolean isUsb2(GuestDef.Controller ctl) {
        return "usb".equals(ctl.type()) && ctl.model() != null && USB2_SET.contains(ctl.model());
    }

    /** Places a USB2 controller in the slot of its set, taking a slot for the set if it is the first placed. */
    private void usb2(GuestDef.Controller ctl, List<GuestDef.Controller> controllers) {
        if (addresses.containsKey(ctl)) {
            return;
        }
        int function = USB2_SET.indexOf(ctl.model()) == 3 ? 7 : USB2_SET.indexOf(ctl.model());
        Boolean multifunction = function == 0 ? Boolean.TRUE : null;
        GuestDef.PciAddress set = controllers.stream()
            .filter(o -> o != ctl && isUsb2(o) && o.index() == ctl.index())
            .map(addresses::get).filter(a -> a != null).findFirst().orElse(null);
        if (set == null && q35 && ctl.index() < Q35_USB2_SLOTS.size() && !usedSlots.get(Q35_USB2_SLOTS.get(ctl.index()))) {
            int slot = Q35_USB2_SLOTS.get(ctl.index());
            usedSlots.set(slot);
            set = new GuestDef.PciAddress(0, 0, slot, 0, null);
        } else if (set == null) {
            next(ctl);
            set = addresses.get(ctl);
        }
        addresses.put(ctl, new GuestDef.PciAddress(set.domain(), set.bus(), set.slot(), function, multifunction));
    }

    /**
     * Places the definition's pcie-root-port controllers, in index order, at their own address or the next
     * free function; marks those that explicitly addressed devices sit behind. Returns whether there are any.
     */
    private boolean definedRootPorts(BuildContext c) {
        List<GuestDef.Controller> ports = c.controllers.stream()
            .filter(x -> "pci".equals(x.type()) && "pcie-root-port".equals(x.model()))
            .sorted(Comparator.comparingInt(GuestDef.Controller::index)).toList();
        for (GuestDef.Controller port : ports) {
            GuestDef.PciAddress a = port.pci();
            if (a != null && a.bus() == 0) {
                usedSlots.set(a.slot());
                rootPorts.add(new RootPort(port.index(), a.slot(), a.function(), false));
            } else {
                placeRootPort(port.index());
            }
        }
        addresses.values().stream().filter(a -> a.bus() > 0).forEach(a -> occupiedPorts.add(a.bus()));
        return !ports.isEmpty();
    }

    private void next(Object device) {
        if (addresses.containsKey(device)) {
            return;
        }
        if (q35) {
            RootPort port = rootPorts.stream().filter(p -> !occupiedPorts.contains(p.index())).findFirst()
                .orElseGet(this::newRootPort);
            occupiedPorts.add(port.index());
            addresses.put(device, new GuestDef.PciAddress(0, port.index(), 0, 0, null));
            return;
        }
        int slot = usedSlots.nextClearBit(1);
        usedSlots.set(slot);
        addresses.put(device, new GuestDef.PciAddress(0, 0, slot, 0, null));
    }

    /** A root port after the highest index in use. */
    private RootPort newRootPort() {
        return placeRootPort(rootPorts.stream().mapToInt(RootPort::index).max().orElse(0) + 1);
    }

    /** A root port at the next free function of the current root-port slot, or function 0 of a new slot. */
    private RootPort placeRootPort(int index) {
        if (rootPortSlot < 0 || functionsTaken(rootPortSlot).cardinality() == 8) {
            rootPortSlot = usedSlots.nextClearBit(1);
            usedSlots.set(rootPortSlot);
        }
        RootPort port = new RootPort(index, rootPortSlot, functionsTaken(rootPortSlot).nextClearBit(0), false);
        rootPorts.add(port);
        return port;
    }

    private BitSet functionsTaken(int slot) {
        BitSet taken = new BitSet(8);
        rootPorts.stream().filter(p -> p.slot() == slot).forEach(p -> taken.set(p.function()));
        return taken;
    }

    GuestDef.PciAddress addressOf(Object device) {
        return addresses.get(device);
    }

    /** The root ports, function 0 marked multifunction when its slot holds more. */
    List<RootPort> rootPorts() {
        List<RootPort> result = new ArrayList<>();
        for (RootPort p : rootPorts) {
            boolean shared = rootPorts.stream().filter(o -> o.slot() == p.slot()).count() > 1;
            result.add(new RootPort(p.index(), p.slot(), p.function(), p.function() == 0 && shared));
        }
        return result;
    }

    String busName(int bus) {
        return bus == 0 && q35 ? "pcie.0" : "pci." + bus;
    }
}
