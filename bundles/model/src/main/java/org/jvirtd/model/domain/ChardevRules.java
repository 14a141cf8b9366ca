package org.jvirtd.model.domain;

import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlNode;

/**
 * Character device sources (tcp, udp, unix): required attributes, the connect mode default, the raw protocol
 * default of tcp, and the reconnect timeout.
 */
final class ChardevRules {
    private static final ErrorDomain D = ErrorDomain.DOMAIN;

    private ChardevRules() {
    }

    /**
     * Applies the rules to a chardev-backed device.
     *
     * @param autoPath true where libvirt may generate a missing unix socket path (serial, channel, ...)
     */
    static void apply(XmlNode device, boolean autoPath) {
        String type = device.attr("type");
        List<XmlNode> sources = device.children("source");
        if (type == null) {
            return;
        }
        switch (type) {
            case "tcp" -> tcp(device, sources);
            case "udp" -> udp(sources);
            case "unix" -> unix(device, sources, autoPath);
            default -> {
            }
        }
    }

    private static void tcp(XmlNode device, List<XmlNode> sources) {
        if (sources.size() > 1) {
            throw Errors.xml(D, "only one source element is allowed for a tcp character device");
        }
        XmlNode source = sources.isEmpty() ? null : sources.get(0);
        if (source == null || source.attr("host") == null) {
            throw Errors.xml(D, "Missing source host attribute for char device");
        }
        if (source.attr("service") == null) {
            throw Errors.xml(D, "Missing source service attribute for char device");
        }
        connectMode(source);
        source.orderAttributes(List.of("mode", "host", "service", "tls"));
        reconnect(source);
        if (device.child("protocol") == null) {
            int index = device.children().indexOf(source) + 1;
            device.insert(index, new XmlNode("protocol", null).set("type", "raw"));
        }
    }

    private static void udp(List<XmlNode> sources) {
        if (sources.size() > 2) {
            throw Errors.xml(D, "only one bind and one connect source are allowed for a udp character device");
        }
        boolean connect = false;
        boolean bind = false;
        for (XmlNode source : sources) {
            boolean isBind = "bind".equals(source.attr("mode"));
            if (isBind ? bind : connect) {
                throw Errors.xml(D, "only one bind and one connect source are allowed for a udp character device");
            }
            if (isBind) {
                bind = true;
            } else {
                connect = true;
                connectMode(source);
                if (source.attr("service") == null) {
                    throw Errors.xml(D, "Missing source service attribute for char device");
                }
            }
            source.orderAttributes(List.of("mode", "host", "service"));
        }
    }

    private static void unix(XmlNode device, List<XmlNode> sources, boolean autoPath) {
        if (sources.size() > 1) {
            throw Errors.xml(D, "only one source element is allowed for a unix character device");
        }
        XmlNode source = sources.isEmpty() ? null : sources.get(0);
        if (source == null || source.attr("path") == null) {
            if (!autoPath) {
                throw Errors.xml(D, "Missing source path attribute for char device");
            }
            if (source != null && !"bind".equals(source.attr("mode")) && source.children().isEmpty()) {
                device.removeIf(c -> c == source);
            }
            return;
        }
        connectMode(source);
        source.orderAttributes(List.of("mode", "path"));
        reconnect(source);
    }

    private static void connectMode(XmlNode source) {
        if (!source.has("mode")) {
            source.set("mode", "connect");
        }
    }

    private static void reconnect(XmlNode source) {
        XmlNode reconnect = source.child("reconnect");
        if (reconnect != null && "yes".equals(reconnect.attr("enabled")) && reconnect.attr("timeout") == null) {
            throw Errors.xml(D, "missing timeout for chardev with reconnect enabled");
        }
    }
}
