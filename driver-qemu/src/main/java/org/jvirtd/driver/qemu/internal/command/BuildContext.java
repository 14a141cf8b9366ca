package org.jvirtd.driver.qemu.internal.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * What every section of a command line needs: the definition with libvirt's implicit controllers
 * added, the resolved machine type, which option syntax the binary takes, and the PCI plan.
 */
final class BuildContext {
    final GuestDef def;
    final QemuCaps caps;
    final QemuConf cfg;
    final QemuCaps.Machine machine;
    final boolean q35;
    final List<GuestDef.Controller> controllers;
    final PciPlan pci;
    final Path privateDir;
    final DiskSecrets diskSecrets;

    BuildContext(GuestDef def, QemuCaps caps, QemuConf cfg, DiskSecrets diskSecrets) {
        this.def = def;
        this.diskSecrets = diskSecrets;
        this.caps = caps;
        this.cfg = cfg;
        String requested = def.os().machine();
        QemuCaps.Machine m = requested == null ? caps.defaultMachine(def.accel()).orElse(null)
            : caps.machine(def.accel(), requested).orElse(null);
        if (m == null) {
            throw VirtErrors.internal(ErrorDomain.QEMU, "Emulator '" + caps.emulator()
                + "' does not support machine type '" + requested + "'");
        }
        this.machine = m;
        this.q35 = m.name().contains("q35");
        this.controllers = ImplicitControllers.complete(def, caps, q35);
        this.privateDir = cfg.privateDir(def.id(), def.name());
        this.pci = PciPlan.assign(this);
    }

    boolean jsonDevices() {
        return caps.has("device.json+hotplug") || caps.has("device.json");
    }

    boolean jsonNetdev() {
        return caps.has("netdev.json");
    }

    boolean jsonObjects() {
        return caps.has("object.qapified");
    }

    /** Adds {@code -device} with the device's properties in the syntax the binary takes. */
    void device(List<String> argv, Props props) {
        argv.add("-device");
        argv.add(jsonDevices() ? props.json() : props.legacy("driver"));
    }

    void object(List<String> argv, Props props) {
        argv.add("-object");
        argv.add(jsonObjects() ? props.json() : props.legacy("qom-type"));
    }

    /** The PCI bus name and address properties of a device placed by the plan. */
    Props pciProps(Object device) {
        GuestDef.PciAddress a = pci.addressOf(device);
        if (a == null) {
            return new Props();
        }
        return new Props().put("bus", pci.busName(a.bus()))
            .put("multifunction", a.multifunction())
            .put("addr", a.qemuAddr()).put("acpi-index", a.acpiIndex());
    }

    List<GuestDef.Controller> controllersOf(String type) {
        List<GuestDef.Controller> result = new ArrayList<>();
        for (GuestDef.Controller c : controllers) {
            if (c.type().equals(type)) {
                result.add(c);
            }
        }
        result.sort(Comparator.comparingInt(GuestDef.Controller::index));
        return result;
    }

    GuestDef.Controller controller(String type, int index) {
        return controllers.stream().filter(c -> c.type().equals(type) && c.index() == index).findFirst().orElse(null);
    }

    /** Whether the guest has a USB bus (a USB controller whose model is not none). */
    boolean hasUsb() {
        return controllers.stream().anyMatch(c -> c.type().equals("usb") && !"none".equals(c.model()));
    }
}
