package org.jvirtd.model.domain.qemu;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlNode;

/**
 * Fills in the machine type QEMU prefers when none is given and replaces an alias by the canonical machine name.
 */
final class MachineDefaults {
    private MachineDefaults() {
    }

    static void apply(Guest guest) {
        XmlNode type = guest.osType();
        if (type == null) {
            return;
        }
        String machine = type.attr("machine");
        if (machine == null) {
            machine = guest.caps.preferredMachine(guest.virtType()).map(QemuMachine::name)
                .orElseThrow(() -> Errors.invalidArg(ErrorDomain.QEMU, "could not get preferred machine for "
                    + emulator(guest) + " type=" + guest.root.attr("type")));
            type.set("machine", machine);
        }
        String current = machine;
        guest.caps.machine(guest.virtType(), current).filter(m -> current.equals(m.alias()))
            .ifPresent(m -> type.set("machine", m.name()));
    }

    private static String emulator(Guest guest) {
        String emulator = guest.devices.childText("emulator");
        return emulator == null ? "" : emulator.strip();
    }
}
