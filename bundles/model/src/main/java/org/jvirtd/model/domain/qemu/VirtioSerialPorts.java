package org.jvirtd.model.domain.qemu;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlNode;

/**
 * Assigns virtio-serial ports to virtio consoles and channels, adding a virtio-serial controller when all ports
 * are taken; port 0 is kept for consoles.
 */
final class VirtioSerialPorts {
    private static final int DEFAULT_PORTS = 31;

    private record Controller(int index, BitSet ports, int size) {
    }

    private final Guest guest;
    private final List<Controller> controllers = new ArrayList<>();

    private VirtioSerialPorts(Guest guest) {
        this.guest = guest;
    }

    static void apply(Guest guest) {
        new VirtioSerialPorts(guest).assign();
    }

    private void assign() {
        guest.controllers("virtio-serial").forEach(this::addController);
        for (XmlNode d : DeviceOrder.devices(guest)) {
            XmlNode a = d.child("address");
            if (complete(a)) {
                Controller c = find(ImplicitDevices.number(a.attr("controller")));
                if (c == null) {
                    throw Errors.xml(ErrorDomain.DOMAIN, "virtio serial controller " + a.attr("controller")
                        + " is missing");
                }
                c.ports.set(ImplicitDevices.number(a.attr("port")));
            }
        }
        for (XmlNode console : guest.list("console")) {
            if (isVirtio(console) && !complete(console.child("address"))) {
                assign(console, true);
            }
        }
        for (XmlNode channel : guest.list("channel")) {
            if (isVirtio(channel) && !complete(channel.child("address"))) {
                assign(channel, false);
            }
        }
    }

    private static boolean isVirtio(XmlNode chr) {
        XmlNode target = chr.child("target");
        return target != null && "virtio".equals(target.attr("type"));
    }

    private static boolean complete(XmlNode address) {
        return address != null && "virtio-serial".equals(address.attr("type"))
            && ImplicitDevices.number(address.attr("port")) != 0;
    }

    private void addController(XmlNode c) {
        int size = c.has("ports") ? ImplicitDevices.number(c.attr("ports")) : DEFAULT_PORTS;
        controllers.add(new Controller(Guest.index(c), new BitSet(size), size));
        controllers.sort(Comparator.comparingInt(Controller::index));
    }

    private Controller find(int index) {
        return controllers.stream().filter(c -> c.index == index).findFirst().orElse(null);
    }

    private void assign(XmlNode chr, boolean allowZero) {
        XmlNode address = chr.child("address");
        int controller;
        int port;
        if (address != null && "virtio-serial".equals(address.attr("type"))) {
            controller = ImplicitDevices.number(address.attr("controller"));
            Controller c = find(controller);
            port = c == null ? -1 : c.ports.nextClearBit(1);
            if (c == null || port <= 0 || port >= c.size) {
                throw Errors.xml(ErrorDomain.DOMAIN, "Unable to find a free port on virtio-serial controller "
                    + controller);
            }
        } else {
            int start = allowZero ? 0 : 1;
            Controller free = controllers.stream().filter(c -> c.ports.nextClearBit(start) < c.size).findFirst()
                .orElse(null);
            if (free == null) {
                int idx = 0;
                while (guest.controller("virtio-serial", idx) != null) {
                    idx++;
                }
                guest.addControllerIfMissing("virtio-serial", idx, null);
                addController(guest.controller("virtio-serial", idx));
                free = find(idx);
            }
            controller = free.index;
            port = free.ports.nextClearBit(start);
        }
        find(controller).ports.set(port);
        if (!allowZero) {
            XmlNode a = Nodes.element("address", "type", "virtio-serial", "controller", Integer.toString(controller),
                "bus", "0", "port", Integer.toString(port));
            chr.removeIf(c -> c.is("address"));
            chr.children().add(a);
        }
    }
}
