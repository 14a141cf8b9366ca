package org.jvirtd.model.domain.qemu;

import java.util.List;

import org.jvirtd.model.internal.XmlNode;

/** A firmware {@code <loader>} that names a file but not how it is mapped is a ROM, as libvirt's QEMU driver has it. */
final class LoaderDefaults {
    private LoaderDefaults() {
    }

    static void apply(Guest guest) {
        XmlNode os = guest.root.child("os");
        XmlNode loader = os == null ? null : os.child("loader");
        if (loader == null || loader.has("type") || loader.text() == null || loader.text().isBlank()) {
            return;
        }
        loader.set("type", "rom");
        loader.orderAttributes(List.of("readonly", "secure", "type", "stateless"));
    }
}
