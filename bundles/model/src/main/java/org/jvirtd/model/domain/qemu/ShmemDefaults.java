package org.jvirtd.model.domain.qemu;

import java.util.List;

import org.jvirtd.model.internal.XmlNode;

/**
 * The QEMU driver's shared memory defaults: 4 MiB unless the device is an ivshmem-doorbell, and a doorbell served
 * by a server interrupts through MSI with ioeventfd on.
 */
final class ShmemDefaults {
    private ShmemDefaults() {
    }

    static void apply(Guest guest) {
        for (XmlNode shmem : guest.list("shmem")) {
            XmlNode model = shmem.child("model");
            String type = model == null || model.attr("type") == null ? "ivshmem" : model.attr("type");
            if (!type.equals("ivshmem-doorbell") && shmem.child("size") == null) {
                XmlNode size = new XmlNode("size", null).set("unit", "M");
                size.setText("4");
                shmem.insert(model == null ? 0 : shmem.children().indexOf(model) + 1, size);
            }
            if (!type.equals("ivshmem") && shmem.child("server") != null) {
                XmlNode msi = shmem.child("msi");
                if (msi == null) {
                    msi = new XmlNode("msi", null);
                    shmem.insert(shmem.children().indexOf(shmem.child("server")) + 1, msi);
                }
                if (!msi.has("ioeventfd")) {
                    msi.set("ioeventfd", "on");
                }
                msi.orderAttributes(List.of("vectors", "ioeventfd"));
            }
        }
    }
}
