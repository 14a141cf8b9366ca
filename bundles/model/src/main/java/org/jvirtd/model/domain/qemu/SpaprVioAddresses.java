package org.jvirtd.model.domain.qemu;

import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlNode;

/**
 * Gives pSeries VIO devices (spapr-vlan interfaces, ibmvscsi controllers, VIO serial ports, NVRAM and TPM) their
 * register addresses, starting from QEMU's per-kind defaults and stepping by 0x1000 past those in use.
 */
final class SpaprVioAddresses {
    private SpaprVioAddresses() {
    }

    static void apply(Guest guest) {
        for (XmlNode net : guest.list("interface")) {
            if ("spapr-vlan".equals(PciConnectFlags.modelType(net))) {
                markVio(net);
            }
            assign(guest, net, 0x1000L);
        }
        for (XmlNode c : guest.list("controller")) {
            if ("scsi".equals(c.attr("type")) && "ibmvscsi".equals(c.attr("model"))) {
                markVio(c);
            }
            assign(guest, c, 0x2000L);
        }
        for (XmlNode s : guest.list("serial")) {
            XmlNode target = s.child("target");
            if (target != null && "spapr-vio-serial".equals(target.attr("type"))) {
                markVio(s);
            }
            assign(guest, s, 0x30000000L);
        }
        for (XmlNode nvram : guest.list("nvram")) {
            if (guest.isPSeries()) {
                markVio(nvram);
            }
            assign(guest, nvram, 0x3000L);
        }
        for (XmlNode tpm : guest.list("tpm")) {
            if (!"spapr-tpm-proxy".equals(tpm.attr("model")) && guest.isPSeries()) {
                markVio(tpm);
            }
            assign(guest, tpm, 0x4000L);
        }
    }

    private static void markVio(XmlNode device) {
        XmlNode a = device.child("address");
        if (a == null) {
            device.children().add(Nodes.element("address", "type", "spapr-vio"));
        } else if (!"spapr-vio".equals(a.attr("type"))) {
            a.attributes().clear();
            a.set("type", "spapr-vio");
        }
    }

    private static void assign(Guest guest, XmlNode device, long defaultReg) {
        XmlNode a = device.child("address");
        if (a == null || !"spapr-vio".equals(a.attr("type"))) {
            return;
        }
        boolean userReg = a.has("reg");
        long reg = userReg ? Long.decode(a.attr("reg").strip()) : defaultReg;
        while (inUse(guest, device, reg)) {
            if (userReg) {
                throw Errors.xml(ErrorDomain.QEMU, "spapr-vio address 0x" + Long.toHexString(reg)
                    + " already in use");
            }
            reg += 0x1000;
        }
        a.set("reg", String.format("0x%08x", reg));
    }

    private static boolean inUse(Guest guest, XmlNode self, long reg) {
        List<XmlNode> all = DeviceOrder.devices(guest);
        for (XmlNode d : all) {
            XmlNode a = d.child("address");
            if (d != self && a != null && "spapr-vio".equals(a.attr("type")) && a.has("reg")
                && Long.decode(a.attr("reg").strip()) == reg) {
                return true;
            }
        }
        return false;
    }
}
