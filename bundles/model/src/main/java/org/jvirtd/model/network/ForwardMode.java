package org.jvirtd.model.network;

import java.util.Arrays;

/**
 * The {@code <forward mode>} of a network; NONE is an isolated network without {@code <forward>}.
 */
public enum ForwardMode {
    NONE("none"), NAT("nat"), ROUTE("route"), OPEN("open"), BRIDGE("bridge"), PRIVATE("private"),
    VEPA("vepa"), PASSTHROUGH("passthrough"), HOSTDEV("hostdev");

    private final String xmlName;

    ForwardMode(String xmlName) {
        this.xmlName = xmlName;
    }

    public String xmlName() {
        return xmlName;
    }

    /** The mode named in XML, or null when libvirt does not know it. */
    public static ForwardMode fromXml(String name) {
        return Arrays.stream(values()).filter(m -> m.xmlName.equals(name)).findFirst().orElse(null);
    }

    /** True for modes where the network owns a libvirt-managed bridge (stp/delay apply). */
    public boolean ownsBridge() {
        return this == NONE || this == NAT || this == ROUTE || this == OPEN;
    }
}
