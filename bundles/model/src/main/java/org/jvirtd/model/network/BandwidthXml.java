package org.jvirtd.model.network;

import org.jvirtd.model.internal.XmlTag;
import org.w3c.dom.Element;

/**
 * Parse/format of a {@code <bandwidth>} element for XML outside a network definition (a network port's),
 * with the checks and the attribute order networks and portgroups have.
 */
public final class BandwidthXml {
    private BandwidthXml() {
    }

    /** The element's limits; null for no element. */
    public static Bandwidth parse(Element bandwidth) {
        return NetDevXml.parseBandwidth(bandwidth);
    }

    /** The element's lines at {@code indent}, open and close tags even without limits (as libvirt); empty for null. */
    public static String format(Bandwidth bandwidth, int indent) {
        XmlTag tag = NetDevXml.formatBandwidth(bandwidth);
        if (tag == null) {
            return "";
        }
        tag.keepOpen();
        StringBuilder out = new StringBuilder();
        tag.write(out, indent);
        return out.toString();
    }
}
