package org.jvirtd.model.domain.qemu;

import java.util.List;

import org.jvirtd.model.internal.XmlNode;

/**
 * libvirt's console back-compatibility for HVM guests: the first console of target type serial is an alias of
 * the first serial port (created from it when missing), and a serial port gets such a console. The alias is a
 * stub while addresses are assigned and is written as a copy of the serial port at the end.
 */
final class ConsoleCompat {
    private static final List<String> BEFORE_TARGET = List.of("source", "protocol", "log");

    private ConsoleCompat() {
    }

    static void apply(Guest guest) {
        XmlNode os = guest.root.child("os");
        String osType = os == null ? null : os.childText("type");
        if (osType == null || !osType.strip().equals("hvm")) {
            return;
        }
        List<XmlNode> consoles = guest.list("console");
        List<XmlNode> serials = guest.list("serial");
        XmlNode first = consoles.isEmpty() ? null : consoles.get(0);
        String firstType = first == null ? null : targetType(first);
        List<XmlNode> children = guest.devices.children();
        if (first != null && (firstType == null || firstType.equals("serial"))) {
            if (serials.isEmpty()) {
                XmlNode serial = first.deepCopy();
                serial.rename("serial");
                serial.removeIf(c -> c.is("target"));
                Nodes.insertAfter(serial, Nodes.element("target", "port", "0"), BEFORE_TARGET);
                children.add(children.indexOf(first), serial);
            }
            children.set(children.indexOf(first), stub());
        } else if (!serials.isEmpty() && isPlainSerial(serials.get(0))) {
            children.add(first == null ? children.indexOf(serials.get(0)) + 1 : children.indexOf(first), stub());
        }
    }

    /** Writes the alias console as libvirt formats it: the first serial port's device with a serial target. */
    static void finish(Guest guest) {
        List<XmlNode> consoles = guest.list("console");
        List<XmlNode> serials = guest.list("serial");
        if (consoles.isEmpty() || serials.isEmpty() || !"serial".equals(targetType(consoles.get(0)))) {
            return;
        }
        XmlNode serial = serials.get(0);
        XmlNode console = serial.deepCopy();
        console.rename("console");
        console.removeIf(c -> c.is("target"));
        String port = serial.child("target") == null ? null : serial.child("target").attr("port");
        Nodes.insertAfter(console, Nodes.element("target", "type", "serial", "port", port == null ? "0" : port),
            BEFORE_TARGET);
        List<XmlNode> children = guest.devices.children();
        children.set(children.indexOf(consoles.get(0)), console);
    }

    private static XmlNode stub() {
        XmlNode console = new XmlNode("console", null);
        console.children().add(Nodes.element("target", "type", "serial"));
        return console;
    }

    private static boolean isPlainSerial(XmlNode serial) {
        String type = targetType(serial);
        return type == null || type.equals("isa-serial");
    }

    private static String targetType(XmlNode chr) {
        XmlNode target = chr.child("target");
        return target == null ? null : target.attr("type");
    }
}
