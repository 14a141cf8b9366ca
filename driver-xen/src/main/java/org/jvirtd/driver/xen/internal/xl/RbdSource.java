package org.jvirtd.driver.xen.internal.xl;

import java.util.ArrayList;
import java.util.List;

/**
 * A Ceph RBD disk as xl's target string names it, {@code rbd:POOL/IMAGE[:key=value...]}, with the monitors in
 * {@code mon_host=HOST[\:PORT][\;HOST...]} (backslash-escaped separators, IPv6 addresses in brackets with their
 * colons escaped), read the way libvirt reads QEMU's RBD colon strings.
 */
record RbdSource(String name, String snapshot, String config, List<String[]> hosts) {

    /** Reads a target after libvirt's unescaping of doubled backslashes; null when it is not an RBD target. */
    static RbdSource parse(String target) {
        if (!target.startsWith("rbd:")) {
            return null;
        }
        List<String> parts = split(target.substring(4).replace("\\\\", "\\"), ':');
        String name = unescape(parts.get(0));
        String snapshot = null;
        int at = name.indexOf('@');
        if (at >= 0) {
            snapshot = name.substring(at + 1);
            name = name.substring(0, at);
        }
        String config = null;
        List<String[]> hosts = new ArrayList<>();
        for (String option : parts.subList(1, parts.size())) {
            int eq = option.indexOf('=');
            String key = eq < 0 ? option : option.substring(0, eq);
            String value = eq < 0 ? "" : option.substring(eq + 1);
            if (key.equals("mon_host")) {
                for (String host : value.split("\\\\;")) {
                    hosts.add(host(host));
                }
            } else if (key.equals("conf")) {
                config = unescape(value);
            }
        }
        return new RbdSource(name, snapshot, config, hosts);
    }

    /** One monitor: {@code HOST[\:PORT]} or {@code [IPV6][\:PORT]} (the address's colons escaped). */
    private static String[] host(String spec) {
        String name;
        String rest;
        if (spec.startsWith("[") && spec.indexOf(']') > 0) {
            name = unescape(spec.substring(1, spec.indexOf(']')));
            rest = spec.substring(spec.indexOf(']') + 1);
        } else {
            int colon = spec.indexOf("\\:");
            name = colon < 0 ? spec : spec.substring(0, colon);
            rest = colon < 0 ? "" : spec.substring(colon);
        }
        return new String[] {name, rest.startsWith("\\:") ? rest.substring(2) : null};
    }

    /** Splits at {@code separator} where it is not escaped by a backslash; the parts keep their escapes. */
    private static List<String> split(String s, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                part.append(c).append(s.charAt(++i));
            } else if (c == separator) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                c = s.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    void write(XmlText xml) {
        xml.open("source", "protocol", "rbd", "name", name);
        for (String[] host : hosts) {
            xml.empty("host", "name", host[0], "port", host[1]);
        }
        if (snapshot != null) {
            xml.empty("snapshot", "name", snapshot);
        }
        if (config != null) {
            xml.empty("config", "file", config);
        }
        xml.close();
    }
}
