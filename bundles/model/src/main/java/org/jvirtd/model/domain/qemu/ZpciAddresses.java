package org.jvirtd.model.domain.qemu;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jvirtd.model.internal.XmlNode;

/**
 * Gives the PCI devices of an s390 guest with zPCI their zPCI identifiers: the lowest free uid (from 1) and fid
 * (from 0) where the definition sets none.
 */
final class ZpciAddresses {
    private ZpciAddresses() {
    }

    static void apply(Guest guest) {
        if (!guest.caps.has("zpci")) {
            return;
        }
        Set<Integer> uids = new HashSet<>();
        Set<Integer> fids = new HashSet<>();
        for (XmlNode d : DeviceOrder.devices(guest)) {
            XmlNode zpci = zpci(d);
            if (zpci != null) {
                if (zpci.has("uid")) {
                    uids.add(ImplicitDevices.number(zpci.attr("uid")));
                }
                if (zpci.has("fid")) {
                    fids.add(ImplicitDevices.number(zpci.attr("fid")));
                }
            }
        }
        for (XmlNode d : DeviceOrder.devices(guest)) {
            XmlNode address = d.child("address");
            if (address == null || !"pci".equals(address.attr("type")) || d.is("serial") || d.is("parallel")
                || d.is("channel") || d.is("console")) {
                continue;
            }
            XmlNode zpci = zpci(d);
            if (zpci == null) {
                zpci = new XmlNode("zpci", null);
                address.children().add(zpci);
            }
            if (!zpci.has("uid")) {
                zpci.set("uid", String.format("0x%04x", lowestFree(uids, 1)));
            }
            if (!zpci.has("fid")) {
                zpci.set("fid", String.format("0x%08x", lowestFree(fids, 0)));
            }
            zpci.orderAttributes(List.of("uid", "fid"));
        }
    }

    private static XmlNode zpci(XmlNode device) {
        XmlNode address = device.child("address");
        return address == null ? null : address.child("zpci");
    }

    private static int lowestFree(Set<Integer> used, int from) {
        int v = from;
        while (used.contains(v)) {
            v++;
        }
        used.add(v);
        return v;
    }
}
