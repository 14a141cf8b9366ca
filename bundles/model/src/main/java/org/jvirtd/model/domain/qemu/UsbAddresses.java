package org.jvirtd.model.domain.qemu;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jvirtd.model.internal.XmlNode;

/**
 * USB ports for a new domain's USB devices, as libvirt assigns them at define: hubs first, then host devices,
 * disks, smartcard (CCID) controllers, input devices, USB serial ports, USB sound cards and redirected devices,
 * each on the first free port of the first bus (root ports before the ports of hubs on them). When the devices
 * outnumber the ports of the only USB controller, usb hubs are added as libvirt adds them.
 */
final class UsbAddresses {
    /** Ports of a usb hub (VIR_DOMAIN_USB_HUB_PORTS). */
    private static final int HUB_PORTS = 8;

    /** One USB bus or hub: its ports and which are taken; hubs hang from the ports they sit on. */
    private static final class Hub {
        final int ports;
        final Set<Integer> taken = new HashSet<>();
        final Map<Integer, Hub> hubs = new LinkedHashMap<>();

        Hub(int ports) {
            this.ports = ports;
        }
    }

    private final Map<Integer, Hub> buses = new LinkedHashMap<>();

    private UsbAddresses() {
    }

    static void apply(Guest guest) {
        UsbAddresses usb = new UsbAddresses();
        for (XmlNode c : guest.controllers("usb")) {
            int ports = ports(c);
            if (ports > 0 && c.child("master") == null && Guest.index(c) >= 0) {
                usb.buses.put(Guest.index(c), new Hub(ports));
            }
        }
        if (usb.buses.isEmpty()) {
            return;
        }
        usb.addHubs(guest);
        List<XmlNode> devices = devices(guest);
        List<XmlNode> hubs = guest.list("hub").stream().filter(h -> "usb".equals(h.attr("type"))).toList();
        hubs.stream().filter(UsbAddresses::hasPort).forEach(h -> usb.reserveOrAssign(h, true));
        devices.stream().filter(UsbAddresses::hasPort).forEach(d -> usb.reserveOrAssign(d, false));
        hubs.stream().filter(h -> !hasPort(h)).forEach(h -> usb.reserveOrAssign(h, true));
        devices.stream().filter(d -> !hasPort(d)).forEach(d -> usb.reserveOrAssign(d, false));
    }

    /** The devices that sit on a USB port, hubs aside, in libvirt's order. */
    private static List<XmlNode> devices(Guest guest) {
        List<XmlNode> devices = new ArrayList<>();
        guest.list("hostdev").stream()
            .filter(h -> "subsystem".equals(h.attr("mode")) && "usb".equals(h.attr("type"))).forEach(devices::add);
        guest.list("disk").stream()
            .filter(d -> d.child("target") != null && "usb".equals(d.child("target").attr("bus"))).forEach(devices::add);
        devices.addAll(guest.controllers("ccid"));
        guest.list("input").stream().filter(i -> "usb".equals(i.attr("bus"))).forEach(devices::add);
        guest.list("serial").stream()
            .filter(s -> s.child("target") != null && "usb-serial".equals(s.child("target").attr("type")))
            .forEach(devices::add);
        guest.list("sound").stream().filter(s -> "usb".equals(s.attr("model"))).forEach(devices::add);
        guest.list("redirdev").stream().filter(r -> "usb".equals(r.attr("bus"))).forEach(devices::add);
        devices.removeIf(d -> {
            XmlNode a = d.child("address");
            return a != null && !"usb".equals(a.attr("type"));
        });
        return devices;
    }

    private static boolean hasPort(XmlNode device) {
        XmlNode a = device.child("address");
        return a != null && a.attr("port") != null && !a.attr("port").isBlank();
    }

    /** libvirt's port count of a USB controller model; 0 for none and for models it does not count. */
    private static int ports(XmlNode controller) {
        String model = controller.attr("model") == null ? "piix3-uhci" : controller.attr("model");
        String ports = controller.attr("ports");
        return switch (model) {
            case "piix3-uhci", "piix4-uhci", "vt82c686b-uhci", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3" -> 2;
            case "ehci", "ich9-ehci1" -> 6;
            case "pci-ohci" -> 3;
            case "nec-xhci", "qemu-xhci" -> ports != null && ports.strip().matches("\\d{1,3}")
                ? Integer.parseInt(ports.strip()) : 4;
            default -> 0;
        };
    }

    /** Adds usb hubs when the devices outnumber the ports of the only bus (libvirt counts hubs' ports too). */
    private void addHubs(Guest guest) {
        if (buses.size() != 1) {
            return;
        }
        int available = buses.values().iterator().next().ports
            + HUB_PORTS * (int) guest.list("hub").stream().filter(h -> "usb".equals(h.attr("type"))).count();
        int count = devices(guest).size();
        if (count <= available) {
            return;
        }
        int needed = (count - available + 1 + HUB_PORTS - 2) / (HUB_PORTS - 1);
        for (int i = 0; i < needed; i++) {
            guest.append(new XmlNode("hub", null).set("type", "usb"));
        }
    }

    private void reserveOrAssign(XmlNode device, boolean isHub) {
        XmlNode address = device.child("address");
        if (address != null && hasPort(device)) {
            Hub hub = reserve(address);
            if (isHub && hub != null) {
                attachHub(address);
            }
            return;
        }
        int bus = address != null && address.attr("bus") != null && address.attr("bus").strip().matches("\\d{1,9}")
            ? Integer.parseInt(address.attr("bus").strip()) : -1;
        for (var entry : buses.entrySet()) {
            if (bus >= 0 && entry.getKey() != bus) {
                continue;
            }
            String port = freePort(entry.getValue(), "");
            if (port != null) {
                XmlNode assigned = Nodes.element("address", "type", "usb", "bus", Integer.toString(entry.getKey()),
                    "port", port);
                device.removeIf(c -> c.is("address"));
                device.children().add(assigned);
                reserve(assigned);
                if (isHub) {
                    attachHub(assigned);
                }
                return;
            }
        }
    }

    /** The first free port of the hub, else of the hubs on it, as a dotted path; null when all are taken. */
    private static String freePort(Hub hub, String prefix) {
        for (int p = 1; p <= hub.ports; p++) {
            if (!hub.taken.contains(p)) {
                return prefix + p;
            }
        }
        for (var sub : hub.hubs.entrySet()) {
            String found = freePort(sub.getValue(), prefix + sub.getKey() + ".");
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Marks the address's port taken; returns the hub it is on, or null when the path is not known. */
    private Hub reserve(XmlNode address) {
        Hub hub = hubOf(address);
        int last = lastPort(address);
        if (hub != null && last > 0) {
            hub.taken.add(last);
        }
        return hub;
    }

    private void attachHub(XmlNode address) {
        Hub parent = hubOf(address);
        int last = lastPort(address);
        if (parent != null && last > 0) {
            parent.hubs.put(last, new Hub(HUB_PORTS));
        }
    }

    private Hub hubOf(XmlNode address) {
        String bus = address.attr("bus") == null ? "0" : address.attr("bus").strip();
        String port = address.attr("port");
        if (!bus.matches("\\d{1,9}") || port == null || !port.strip().matches("\\d{1,9}(\\.\\d{1,9})*")) {
            return null;
        }
        Hub hub = buses.get(Integer.parseInt(bus));
        String[] path = port.strip().split("\\.");
        for (int i = 0; hub != null && i < path.length - 1; i++) {
            hub = hub.hubs.get(Integer.parseInt(path[i]));
        }
        return hub;
    }

    private static int lastPort(XmlNode address) {
        String port = address.attr("port");
        if (port == null || !port.strip().matches("\\d{1,9}(\\.\\d{1,9})*")) {
            return -1;
        }
        String[] path = port.strip().split("\\.");
        return Integer.parseInt(path[path.length - 1]);
    }
}
