package org.jvirtd.driver.xen.internal.xl;

import static org.jvirtd.driver.xen.internal.xl.Elements.attr;
import static org.jvirtd.driver.xen.internal.xl.Elements.child;
import static org.jvirtd.driver.xen.internal.xl.Elements.children;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.w3c.dom.Element;

/**
 * One network interface as an xl vif spec, both ways:
 * {@code mac=M[,bridge=B[.TAG|:T1:T2]][,ip=A B][,script=S][,model=M|type=vif][,vifname=N][,rate=NKB/s]}.
 * A bridge named with a VLAN tag or trunk is an Open vSwitch port.
 */
final class XlVif {
    private static final String DEFAULT_SCRIPT = "vif-bridge";
    private static final Pattern RATE = Pattern.compile("^([0-9]+)([GMK]?)([Bb])/s$");

    private XlVif() {
    }

    static String format(Element net, boolean hvm) {
        String mac = attr(child(net, "mac"), "address");
        StringBuilder spec = new StringBuilder("mac=").append(mac != null ? mac : randomMac());
        String type = attr(net, "type");
        String script = attr(child(net, "script"), "path");
        String ips = String.join(" ", children(net, "ip").stream().map(ip -> attr(ip, "address")).toList());
        switch (type) {
            case "bridge" -> {
                spec.append(",bridge=").append(attr(child(net, "source"), "bridge"));
                if ("openvswitch".equals(attr(child(net, "virtualport"), "type"))) {
                    if (script == null) {
                        script = "vif-openvswitch";
                    }
                    Element vlan = child(net, "vlan");
                    List<Element> tags = children(vlan, "tag");
                    if (!tags.isEmpty()) {
                        if ("yes".equals(attr(vlan, "trunk")) || tags.size() > 1) {
                            tags.forEach(t -> spec.append(':').append(attr(t, "id")));
                        } else {
                            spec.append('.').append(attr(tags.get(0), "id"));
                        }
                    }
                }
                if (!ips.isEmpty()) {
                    spec.append(",ip=").append(ips);
                }
                spec.append(",script=").append(script != null ? script : DEFAULT_SCRIPT);
            }
            case "ethernet" -> {
                if (script != null) {
                    spec.append(",script=").append(script);
                }
                if (!ips.isEmpty()) {
                    spec.append(",ip=").append(ips);
                }
            }
            case "network" -> throw new VirtException(ErrorCode.NO_NETWORK, ErrorDomain.XENXL,
                attr(child(net, "source"), "network"));
            default -> throw XenConversionErrors.unsupported("Unsupported net type '" + type + "'");
        }
        String model = attr(child(net, "model"), "type");
        if (model != null) {
            spec.append(hvm && model.equals("netfront") ? ",type=vif" : ",model=" + model);
        }
        String vifname = attr(child(net, "target"), "dev");
        if (vifname != null) {
            spec.append(",vifname=").append(vifname);
        }
        String average = attr(Elements.path(net, "bandwidth", "outbound"), "average");
        if (average != null && Long.parseLong(average) > 0) {
            spec.append(",rate=").append(average).append("KB/s");
        }
        return spec.toString();
    }

    /** The interface element for a vif spec. */
    static void parse(String spec, XmlText xml) {
        String mac = null;
        String bridge = null;
        String script = null;
        String model = null;
        String type = null;
        String vifname = null;
        String ip = null;
        String rate = null;
        for (String key : keys(spec)) {
            int eq = key.indexOf('=');
            if (eq < 0) {
                throw XenConversionErrors.internal("malformed vif '" + spec + "'");
            }
            String value = key.substring(eq + 1);
            switch (key.substring(0, eq)) {
                case "mac" -> mac = value;
                case "bridge" -> bridge = value;
                case "script" -> script = value;
                case "model" -> model = value;
                case "type" -> type = value;
                case "vifname" -> vifname = value;
                case "ip" -> ip = value;
                case "rate" -> rate = value;
                default -> { }
            }
        }
        boolean bridged = bridge != null || "vif-bridge".equals(script) || "vif-vnic".equals(script);
        xml.open("interface", "type", bridged ? "bridge" : "ethernet");
        xml.empty("mac", "address", mac != null ? mac.toLowerCase() : randomMac());
        if (bridged && bridge != null) {
            xml.empty("source", "bridge", bridgeName(bridge));
        }
        if (ip != null) {
            for (String address : ip.split(" ")) {
                if (!address.isEmpty()) {
                    xml.empty("ip", "address", address);
                }
            }
        }
        if (bridged && bridge != null) {
            vlan(bridge, xml);
        }
        if (rate != null) {
            xml.open("bandwidth").empty("outbound", "average", Long.toString(kilobytesPerSecond(rate))).close();
        }
        if (script != null && !script.isEmpty()) {
            xml.empty("script", "path", script);
        }
        if (vifname != null) {
            xml.empty("target", "dev", vifname);
        }
        if (model != null) {
            xml.empty("model", "type", model);
        } else if ("vif".equals(type)) {
            xml.empty("model", "type", "netfront");
        }
        xml.close();
    }

    /** A MAC address in Xen's range (00:16:3e), as libvirt gives an interface defined without one. */
    static String randomMac() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        return String.format("00:16:3e:%02x:%02x:%02x", random.nextInt(256), random.nextInt(256), random.nextInt(256));
    }

    /** The comma-separated keys of a spec, blanks after a comma skipped. */
    private static List<String> keys(String spec) {
        List<String> keys = new ArrayList<>();
        for (String key : spec.split(",")) {
            String k = key.stripLeading();
            if (!k.isEmpty()) {
                keys.add(k);
            }
        }
        return keys;
    }

    /** The bridge name without an Open vSwitch VLAN tag (NAME.TAG) or trunk (NAME:T1:T2). */
    private static String bridgeName(String bridge) {
        int dot = bridge.indexOf('.');
        int colon = bridge.indexOf(':');
        return dot >= 0 ? bridge.substring(0, dot) : colon >= 0 ? bridge.substring(0, colon) : bridge;
    }

    /** The VLAN and Open vSwitch port a bridge spec with a tag or trunk stands for. */
    private static void vlan(String bridge, XmlText xml) {
        int dot = bridge.indexOf('.');
        int colon = bridge.indexOf(':');
        if (dot < 0 && colon < 0) {
            return;
        }
        if (dot >= 0) {
            xml.open("vlan").empty("tag", "id", Long.toString(Long.parseLong(bridge.substring(dot + 1)))).close();
        } else {
            String[] parts = bridge.split(":");
            xml.open("vlan", "trunk", "yes");
            for (int i = 1; i < parts.length; i++) {
                xml.empty("tag", "id", Long.toString(Long.parseLong(parts[i])));
            }
            xml.close();
        }
        xml.empty("virtualport", "type", "openvswitch");
    }

    /** xl's rate (N[GMK]B/s or N[GMK]b/s, optionally @interval) in KiB per second. */
    static long kilobytesPerSecond(String rate) {
        int at = rate.indexOf('@');
        Matcher m = RATE.matcher(at < 0 ? rate : rate.substring(0, at));
        if (!m.matches()) {
            throw XenConversionErrors.internal("Invalid rate '" + rate + "' specified");
        }
        long value = Long.parseLong(m.group(1));
        if (m.group(2).equals("G")) {
            value *= 1024 * 1024;
        } else if (m.group(2).equals("M")) {
            value *= 1024;
        }
        if (m.group(3).equals("b")) {
            value /= 8;
        }
        return value;
    }
}
