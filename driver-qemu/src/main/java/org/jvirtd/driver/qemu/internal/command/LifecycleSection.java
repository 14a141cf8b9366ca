package org.jvirtd.driver.qemu.internal.command;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * From -uuid to -boot: identity, defaults, the QMP monitor, clock and timers, what reboot and
 * power-off do, ACPI and power management, boot order and direct kernel boot.
 */
final class LifecycleSection {
    private LifecycleSection() {
    }

    static void identityAndMonitor(BuildContext c, List<String> argv) {
        argv.add("-uuid");
        argv.add(c.def.uuid().toString());
        smbios(c.def.smbios(), c.def.uuid().toString(), argv);
        if (c.def.extras().genid() != null) {
            c.device(argv, Props.of("driver", "vmgenid").put("guid", c.def.extras().genid()).put("id", "vmgenid0"));
        }
        if (c.def.devices().graphics().isEmpty()) {
            argv.add("-display");
            argv.add("none");
        }
        argv.add("-no-user-config");
        argv.add("-nodefaults");
        argv.add("-chardev");
        argv.add(c.cfg.pretend() ? "socket,id=charmonitor,fd=1729,server=on,wait=off"
            : "socket,id=charmonitor,path=" + Props.escapeCommas(c.privateDir.resolve("monitor.sock").toString())
                + ",server=on,wait=off");
        argv.add("-mon");
        argv.add("chardev=charmonitor,id=monitor,mode=control");
    }

    /**
     * With {@code <smbios mode='sysinfo'>} the {@code <sysinfo>} tables, each as one -smbios option with
     * libvirt's field order (0 BIOS, 1 system, 2 baseboards, 3 chassis, 11 OEM strings).
     */
    private static void smbios(GuestDef.Smbios smbios, String uuid, List<String> argv) {
        if (!"sysinfo".equals(smbios.mode())) {
            return;
        }
        table(argv, "0", smbios.bios(), List.of("vendor", "version", "date", "release"));
        table(argv, "1", smbios.system(), List.of("manufacturer", "product", "version", "serial", "uuid", "sku",
            "family"));
        for (java.util.Map<String, String> board : smbios.baseboards()) {
            table(argv, "2", board, List.of("manufacturer", "product", "version", "serial", "asset", "location"));
        }
        table(argv, "3", smbios.chassis(), List.of("manufacturer", "version", "serial", "asset", "sku"));
        if (!smbios.oemStrings().isEmpty()) {
            StringBuilder out = new StringBuilder("type=11");
            smbios.oemStrings().forEach(v -> out.append(",value=").append(Props.escapeCommas(v)));
            argv.add("-smbios");
            argv.add(out.toString());
        }
    }

    private static void table(List<String> argv, String type, java.util.Map<String, String> values,
                              List<String> fields) {
        StringBuilder out = new StringBuilder("type=").append(type);
        for (String field : fields) {
            String value = values.get(field);
            if (value != null) {
                out.append(',').append(field).append('=').append(Props.escapeCommas(value));
            }
        }
        if (out.length() > ("type=" + type).length()) {
            argv.add("-smbios");
            argv.add(out.toString());
        }
    }

    static void clockActionsAndBoot(BuildContext c, List<String> argv) {
        GuestDef def = c.def;
        StringBuilder rtc = new StringBuilder("base=");
        if ("absolute".equals(def.clock().offset()) && def.clock().start() != null) {
            rtc.append(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
                .format(java.time.LocalDateTime.ofEpochSecond(def.clock().start(), 0, java.time.ZoneOffset.UTC)));
        } else {
            rtc.append("localtime".equals(def.clock().offset()) ? "localtime" : "utc");
        }
        for (GuestDef.Timer t : def.clock().timers()) {
            if ("rtc".equals(t.name()) && t.track() != null) {
                rtc.append(",clock=").append(switch (t.track()) {
                    case "guest" -> "vm";
                    case "wall" -> "host";
                    default -> "rt";
                });
            }
            if ("rtc".equals(t.name()) && "catchup".equals(t.tickpolicy())) {
                rtc.append(",driftfix=slew");
            }
        }
        argv.add("-rtc");
        argv.add(rtc.toString());
        for (GuestDef.Timer t : def.clock().timers()) {
            if ("pit".equals(t.name()) && t.tickpolicy() != null && c.caps.has("kvm-pit-lost-tick-policy")) {
                argv.add("-global");
                argv.add("kvm-pit.lost_tick_policy=" + ("catchup".equals(t.tickpolicy()) ? "slew" : t.tickpolicy()));
            }
        }
        if (MachineSection.hpetDisabled(def) && !c.caps.has("machine-hpet") && c.caps.has("no-hpet")) {
            argv.add("-no-hpet");
        }
        boolean allDestroy = "destroy".equals(def.onReboot()) && "destroy".equals(def.onPoweroff())
            && "destroy".equals(def.onCrash());
        argv.add(allDestroy && !c.caps.has("set-action") ? "-no-reboot" : "-no-shutdown");
        if (!def.acpi() && c.caps.has("no-acpi")) {
            argv.add("-no-acpi");
        }
        powerManagement(c, argv);
        boot(c, argv);
    }

    /**
     * IOMMUs before the controllers: Intel's with the driver switches as its properties, virtio's on the PCI
     * address post-parse gave it (an integrated device of pcie.0, as libvirt places it).
     */
    private static void iommus(BuildContext c, List<String> argv) {
        for (int i = 0; i < c.def.devices().iommus().size(); i++) {
            GuestDef.Iommu iommu = c.def.devices().iommus().get(i);
            if ("virtio".equals(iommu.model())) {
                c.device(argv, Props.of("driver", "virtio-iommu").put("id", "iommu" + i).putAll(c.pciProps(iommu)));
                continue;
            }
            if (!"intel".equals(iommu.model())) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "jvirtd runs the Intel IOMMU only, not model '" + iommu.model() + "'");
            }
            java.util.Map<String, String> d = iommu.driver();
            c.device(argv, Props.of("driver", "intel-iommu").put("id", "iommu" + i).put("intremap", d.get("intremap"))
                .put("caching-mode", onOff(d.get("caching_mode"))).put("eim", d.get("eim"))
                .put("device-iotlb", onOff(d.get("iotlb")))
                .put("aw-bits", d.get("aw_bits") == null ? null : Integer.valueOf(d.get("aw_bits"))));
        }
    }

    private static Boolean onOff(String state) {
        return state == null ? null : "on".equals(state);
    }

    private static void powerManagement(BuildContext c, List<String> argv) {
        String chipset = c.q35 ? "ICH9-LPC" : "PIIX4_PM";
        if (c.def.pm().suspendToMem() != null) {
            argv.add("-global");
            argv.add(chipset + ".disable_s3=" + (c.def.pm().suspendToMem() ? 0 : 1));
        }
        if (c.def.pm().suspendToDisk() != null) {
            argv.add("-global");
            argv.add(chipset + ".disable_s4=" + (c.def.pm().suspendToDisk() ? 0 : 1));
        }
    }

    private static void boot(BuildContext c, List<String> argv) {
        GuestDef.Os os = c.def.os();
        argv.add("-boot");
        StringBuilder boot = new StringBuilder();
        if (Boolean.TRUE.equals(os.bootMenu())) {
            boot.append("menu=on,");
            if (os.bootMenuTimeout() != null) {
                boot.append("splash-time=").append(os.bootMenuTimeout()).append(',');
            }
        } else if (Boolean.FALSE.equals(os.bootMenu())) {
            boot.append("menu=off,");
        }
        if (os.rebootTimeout() != null) {
            boot.append("reboot-timeout=").append(os.rebootTimeout()).append(',');
        }
        argv.add(boot.append("strict=on").toString());
        if (os.kernel() != null) {
            argv.add("-kernel");
            argv.add(os.kernel());
        }
        if (os.initrd() != null) {
            argv.add("-initrd");
            argv.add(os.initrd());
        }
        if (os.cmdline() != null) {
            argv.add("-append");
            argv.add(os.cmdline());
        }
        for (String[] table : c.def.extras().acpiTables()) {
            argv.add("-acpitable");
            argv.add("sig=" + table[0] + ",file=" + Props.escapeCommas(table[1]));
        }
        iommus(c, argv);
        if (c.def.extras().pciHole64KiB() != null) {
            argv.add("-global");
            argv.add((c.q35 ? "q35-pcihost" : "i440FX-pcihost") + ".pci-hole64-size=" + c.def.extras().pciHole64KiB()
                + "K");
        }
    }
}
