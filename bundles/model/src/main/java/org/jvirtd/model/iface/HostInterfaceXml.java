package org.jvirtd.model.iface;

import org.jvirtd.model.internal.XmlTag;

/** Formats a host interface as libvirt 9.0's udev interface backend writes it (an ethernet interface). */
public final class HostInterfaceXml {
    private HostInterfaceXml() {
    }

    public static String format(HostInterfaceDef def) {
        XmlTag iface = XmlTag.of("interface").attr("type", "ethernet").attr("name", def.name());
        if (def.mtu() > 0) {
            iface.child(XmlTag.of("mtu").attr("size", def.mtu()));
        }
        if (def.speed() != null || def.state() != null) {
            iface.child(XmlTag.of("link").attr("speed", def.speed()).attr("state", def.state()));
        }
        if (def.mac() != null) {
            iface.child(XmlTag.of("mac").attr("address", def.mac()));
        }
        return iface.toString();
    }
}
