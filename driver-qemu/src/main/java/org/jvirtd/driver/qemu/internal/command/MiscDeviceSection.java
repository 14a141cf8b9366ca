package org.jvirtd.driver.qemu.internal.command;

import java.util.List;

import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Watchdogs and their action, the memory balloon and random number generators.
 */
final class MiscDeviceSection {
    private MiscDeviceSection() {
    }

    static void watchdogBalloonRng(BuildContext c, List<String> argv) {
        List<GuestDef.Watchdog> watchdogs = c.def.devices().watchdogs();
        for (int i = 0; i < watchdogs.size(); i++) {
            GuestDef.Watchdog w = watchdogs.get(i);
            c.device(argv, Props.of("driver", w.model()).put("id", "watchdog" + i).putAll(c.pciProps(w)));
            String action = w.action() == null ? "reset" : w.action();
            argv.add("-watchdog-action");
            argv.add("dump".equals(action) ? "pause" : action);
        }
        GuestDef.Memballoon balloon = c.def.devices().memballoon();
        if ("virtio".equals(balloon.model())) {
            c.device(argv, Props.of("driver", "virtio-balloon-pci").put("id", "balloon0")
                .putAll(c.pciProps(balloon)));
        }
        List<GuestDef.Rng> rngs = c.def.devices().rngs();
        for (int i = 0; i < rngs.size(); i++) {
            GuestDef.Rng rng = rngs.get(i);
            Props backend = "builtin".equals(rng.backend()) ? Props.of("qom-type", "rng-builtin").put("id", "objrng" + i)
                : Props.of("qom-type", "rng-random").put("id", "objrng" + i)
                    .put("filename", rng.path() == null ? "/dev/urandom" : rng.path());
            c.object(argv, backend);
            c.device(argv, Props.of("driver", "virtio-rng-pci").put("rng", "objrng" + i).put("id", "rng" + i)
                .put("max-bytes", rng.rateBytes()).put("period", rng.ratePeriod()).putAll(c.pciProps(rng)));
        }
    }
}
