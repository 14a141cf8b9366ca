package org.jvirtd.driver.qemu.internal;

import java.util.Optional;

import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.model.domain.DomainEditor;
import org.jvirtd.model.domain.DomainXml;

/**
 * Writes the machine type into a definition as libvirt stores it: an alias the binary reports (pc, q35)
 * becomes the machine type it stands for (pc-i440fx-7.2), no machine type the binary's default one. A name
 * the binary does not know is left for validation to judge.
 */
final class MachineNames {
    private MachineNames() {
    }

    static String canonical(String xml, GuestDef def, QemuCaps caps) {
        DomainEditor editor = DomainEditor.of(xml);
        if (!editor.hasOsType()) {
            return xml;
        }
        String requested = editor.osTypeAttr("machine");
        Optional<QemuCaps.Machine> machine = requested == null ? caps.defaultMachine(def.accel())
            : caps.machine(def.accel(), requested);
        if (machine.isEmpty() || machine.get().name().equals(requested)) {
            return xml;
        }
        editor.setOsTypeAttr("machine", machine.get().name());
        return editor.format(-1, DomainXml.SECURE);
    }
}
