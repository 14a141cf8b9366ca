package org.jvirtd.model.domain.qemu;

import java.util.List;

import org.jvirtd.model.internal.XmlNode;

/**
 * Firmware defaults of libvirt's QEMU driver: a {@code <loader>} that names a file but not how it is mapped is a
 * ROM; firmware asked to have keys enrolled does secure boot.
 */
final class LoaderDefaults {
    private LoaderDefaults() {
    }

    static void apply(Guest guest) {
        XmlNode os = guest.root.child("os");
        enrolledKeysMeanSecureBoot(os);
        XmlNode loader = os == null ? null : os.child("loader");
        if (loader == null || loader.has("type") || loader.text() == null || loader.text().isBlank()) {
            return;
        }
        loader.set("type", "rom");
        loader.orderAttributes(List.of("readonly", "secure", "type", "stateless"));
    }

    private static void enrolledKeysMeanSecureBoot(XmlNode os) {
        XmlNode firmware = os == null ? null : os.child("firmware");
        if (firmware == null) {
            return;
        }
        List<XmlNode> features = firmware.children("feature");
        boolean enrolled = features.stream()
            .anyMatch(f -> "enrolled-keys".equals(f.attr("name")) && "yes".equals(f.attr("enabled")));
        boolean secureBootSet = features.stream().anyMatch(f -> "secure-boot".equals(f.attr("name")));
        if (enrolled && !secureBootSet) {
            firmware.children().add(new XmlNode("feature", null).set("enabled", "yes").set("name", "secure-boot"));
        }
    }
}
