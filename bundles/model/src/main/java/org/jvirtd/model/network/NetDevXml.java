package org.jvirtd.model.network;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Dom;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlTag;
import org.jvirtd.model.internal.YesNo;
import org.w3c.dom.Element;

/**
 * Parse/format of the port settings networks and portgroups share: bandwidth, vlan and virtualport.
 */
final class NetDevXml {
    private NetDevXml() {
    }

    static Bandwidth parseBandwidth(Element e) {
        if (e == null) {
            return null;
        }
        return new Bandwidth(parseRate(Dom.child(e, "inbound"), true), parseRate(Dom.child(e, "outbound"), false));
    }

    private static Bandwidth.Rate parseRate(Element e, boolean inbound) {
        if (e == null) {
            return null;
        }
        Long floor = number(e, "floor");
        if (floor != null && !inbound) {
            throw Errors.xml(ErrorDomain.NONE, "floor attribute is supported only for inbound direction");
        }
        Long average = number(e, "average");
        if (average == null && floor == null) {
            throw Errors.xml(ErrorDomain.NONE, "Missing mandatory average or floor attributes");
        }
        return new Bandwidth.Rate(average, number(e, "peak"), floor, number(e, "burst"));
    }

    private static Long number(Element e, String attribute) {
        String text = Dom.attr(e, attribute);
        if (text == null) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(text.strip());
        } catch (NumberFormatException ex) {
            throw Errors.xml(ErrorDomain.NONE, "could not convert bandwidth " + attribute + " value '" + text + "'");
        }
    }

    static XmlTag formatBandwidth(Bandwidth b) {
        if (b == null) {
            return null;
        }
        XmlTag tag = XmlTag.of("bandwidth");
        for (var rate : new Object[][] {{"inbound", b.inbound()}, {"outbound", b.outbound()}}) {
            if (rate[1] instanceof Bandwidth.Rate r) {
                tag.child(XmlTag.of((String) rate[0]).attr("average", r.average()).attr("peak", r.peak())
                    .attr("floor", r.floor()).attr("burst", r.burst()));
            }
        }
        return tag;
    }

    static Vlan parseVlan(Element e) {
        if (e == null) {
            return null;
        }
        List<Vlan.Tag> tags = new ArrayList<>();
        for (Element t : Dom.children(e, "tag")) {
            String id = Dom.attr(t, "id");
            if (id == null) {
                throw Errors.xml(ErrorDomain.NONE, "Missing required attribute 'id' in element 'tag'");
            }
            if (!id.strip().matches("\\d{1,9}")) {
                throw Errors.xml(ErrorDomain.NONE, "Invalid value for attribute 'id' in element 'tag': '" + id
                    + "'. Expected non-negative integer value");
            }
            if (Integer.parseInt(id.strip()) > 4095) {
                throw Errors.xml(ErrorDomain.NONE, "vlan tag id " + id.strip() + " too large (maximum 4095)");
            }
            String nativeMode = Dom.attr(t, "nativeMode");
            if (nativeMode != null && !nativeMode.equals("tagged") && !nativeMode.equals("untagged")) {
                throw Errors.internal(ErrorDomain.NONE, "Invalid \"nativeMode='" + nativeMode + "'\" in vlan <tag> element");
            }
            tags.add(new Vlan.Tag(Integer.parseInt(id.strip()), nativeMode));
        }
        if (tags.isEmpty()) {
            throw Errors.internal(ErrorDomain.NONE, "missing vlan tag data");
        }
        String trunk = Dom.attr(e, "trunk");
        Boolean isTrunk = trunk == null ? null : YesNo.parse(ErrorDomain.NONE, "trunk", trunk);
        if (Boolean.FALSE.equals(isTrunk) && tags.size() > 1) {
            throw Errors.xml(ErrorDomain.NONE,
                "invalid \"trunk='no'\" in <vlan> - trunk='yes' is required for more than one vlan tag");
        }
        return new Vlan(isTrunk, tags);
    }

    static XmlTag formatVlan(Vlan vlan) {
        if (vlan == null) {
            return null;
        }
        XmlTag tag = XmlTag.of("vlan").attr("trunk", Boolean.TRUE.equals(vlan.trunk()) ? "yes" : null);
        for (Vlan.Tag t : vlan.tags()) {
            tag.child(XmlTag.of("tag").attr("id", t.id()).attr("nativeMode", t.nativeMode()));
        }
        return tag;
    }

    static VirtualPort parseVirtualPort(Element e) {
        if (e == null) {
            return null;
        }
        String type = Dom.attr(e, "type");
        if (type != null && !List.of("802.1Qbg", "802.1Qbh", "openvswitch", "midonet").contains(type)) {
            throw Errors.xml(ErrorDomain.NONE, "unknown virtualport type " + type);
        }
        Element p = Dom.child(e, "parameters");
        return new VirtualPort(type, Dom.attr(p, "managerid"), Dom.attr(p, "typeid"), Dom.attr(p, "typeidversion"),
            Dom.attr(p, "instanceid"), Dom.attr(p, "interfaceid"), Dom.attr(p, "profileid"));
    }

    static XmlTag formatVirtualPort(VirtualPort v) {
        if (v == null) {
            return null;
        }
        return XmlTag.of("virtualport").attr("type", v.type()).childIfNotEmpty(XmlTag.of("parameters")
            .attr("managerid", v.managerId()).attr("typeid", v.typeId()).attr("typeidversion", v.typeIdVersion())
            .attr("instanceid", v.instanceId()).attr("interfaceid", v.interfaceId())
            .attr("profileid", v.profileId()));
    }
}
