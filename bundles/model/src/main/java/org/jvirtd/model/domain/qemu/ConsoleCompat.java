package org.jvirtd.model.domain.qemu;

import java.util.List;

import org.jvirtd.model.internal.XmlNode;

/**
 * libvirt's console back-compatibility for HVM guests: the first console of target type serial is an alias of
 * the first serial port (created from it when missing), and a serial port gets a console standing for it.
 */
final class ConsoleCompat {
    private ConsoleCompat() {
    }

    static void apply(Guest guest) {
        XmlNode os = guest.root.child("os");
        if (os == null || !"hvm".equals(os.childText("type") == null ? null : os.childText("type").strip())) {
            return;
        }
        List<XmlNode> consoles = guest.list("console");
        List<XmlNode> serials = guest.list("serial");
        XmlNode first = consoles.isEmpty() ? null : consoles.get(0);
        String firstType = first == null ? null : targetType(first);
        if (first != null && (firstType == null || firstType.equals("serial"))) {
            if (serials.isEmpty()) {
                XmlNode serial = first.deepCopy();
                serial.rename("serial");
                serial.removeIf(c -> c.is("target"));
                Nodes.insertAfter(serial, Nodes.element("target", "port", "0"), List.of("source", "protocol", "log"));
                guest.devices.children().add(guest.devices.children().indexOf(first), serial);
            }
            XmlNode serial = guest.list("serial").get(0);
            replace(guest, first, consoleFor(serial));
        } else if (!serials.isEmpty() && isPlainSerial(serials.get(0))) {
            XmlNode console = consoleFor(serials.get(0));
            List<XmlNode> children = guest.devices.children();
            children.add(first == null ? children.indexOf(serials.get(0)) + 1 : children.indexOf(first), console);
        }
    }

    private static boolean isPlainSerial(XmlNode serial) {
        String type = targetType(serial);
        return type == null || type.equals("isa-serial");
    }

    private static String targetType(XmlNode chr) {
        XmlNode target = chr.child("target");
        return target == null ? null : target.attr("type");
    }

    /** The console element libvirt writes for an alias of a serial port: its source, a serial target. */
    private static XmlNode consoleFor(XmlNode serial) {
        XmlNode console = serial.deepCopy();
        console.rename("console");
        console.removeIf(c -> c.is("target") || c.is("address"));
        String port = serial.child("target") == null ? "0" : serial.child("target").attr("port");
        XmlNode target = Nodes.element("target", "type", "serial", "port", port == null ? "0" : port);
        Nodes.insertAfter(console, target, List.of("source", "protocol", "log"));
        return console;
    }

    private static void replace(Guest guest, XmlNode old, XmlNode replacement) {
        List<XmlNode> children = guest.devices.children();
        children.set(children.indexOf(old), replacement);
    }
}
