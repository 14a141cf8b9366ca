package org.jvirtd.driver.qemu.internal.command;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Watchdogs and their action, redirected USB devices, the memory balloon, random number generators and
 * panic notifiers, each where libvirt places it.
 */
final class MiscDeviceSection {
    private MiscDeviceSection() {
    }

    static void watchdogs(BuildContext c, List<String> argv) {
        List<GuestDef.Watchdog> watchdogs = c.def.devices().watchdogs();
        for (int i = 0; i < watchdogs.size(); i++) {
            GuestDef.Watchdog w = watchdogs.get(i);
            c.device(argv, Props.of("driver", w.model()).put("id", "watchdog" + i).putAll(c.pciProps(w)));
            String action = w.action() == null ? "reset" : w.action();
            argv.add("-watchdog-action");
            argv.add("dump".equals(action) ? "pause" : action);
        }
    }

    /**
     * Smartcards on their CCID controller: passed through (SPICE's smartcard channel or another chardev to the
     * card), or emulated by QEMU from the host's readers (mode host) or from certificates in an NSS database.
     */
    static void smartcards(BuildContext c, List<String> argv) {
        List<GuestDef.Smartcard> cards = c.def.devices().smartcards();
        for (int i = 0; i < cards.size(); i++) {
            GuestDef.Smartcard card = cards.get(i);
            String alias = "smartcard" + i;
            Props device = switch (String.valueOf(card.mode())) {
                case "host" -> Props.of("driver", "ccid-card-emulated").put("backend", "nss-emulated");
                case "host-certificates" -> {
                    Props certs = Props.of("driver", "ccid-card-emulated").put("backend", "certificates");
                    for (int n = 0; n < card.certificates().size(); n++) {
                        certs.put("cert" + (n + 1), card.certificates().get(n));
                    }
                    yield certs.put("db", card.database() == null ? "/etc/pki/nssdb" : card.database());
                }
                case "passthrough" -> {
                    if ("spicevmc".equals(card.type())) {
                        argv.add("-chardev");
                        argv.add("spicevmc,id=char" + alias + ",name=smartcard");
                    } else {
                        CharSection.chardev(c, argv, card.chardev(), "char" + alias, alias, 0);
                    }
                    yield Props.of("driver", "ccid-card-passthru").put("chardev", "char" + alias);
                }
                default -> throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "jvirtd does not run smartcards of mode '" + card.mode() + "'");
            };
            c.device(argv, device.put("id", alias).put("bus", "ccid0.0"));
        }
    }

    /** USB redirection: SPICE's usbredir channel as the chardev, a usb-redir device on its USB port. */
    static void redirdevs(BuildContext c, List<String> argv) {
        List<GuestDef.Redirdev> redirdevs = c.def.devices().redirdevs();
        UsbPorts usb = UsbPorts.of(c);
        for (int i = 0; i < redirdevs.size(); i++) {
            GuestDef.Redirdev r = redirdevs.get(i);
            if (!"spicevmc".equals(r.type())) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "jvirtd redirects USB devices over SPICE only, not type '" + r.type() + "'");
            }
            argv.add("-chardev");
            argv.add("spicevmc,id=charredir" + i + ",name=usbredir");
            c.device(argv, Props.of("driver", "usb-redir").put("chardev", "charredir" + i).put("id", "redir" + i)
                .put("filter", r.filter()).put("bus", usb.busOf(r)).put("port", usb.portOf(r)));
        }
    }

    static void balloonAndRng(BuildContext c, List<String> argv) {
        GuestDef.Memballoon balloon = c.def.devices().memballoon();
        if ("virtio".equals(balloon.model())) {
            c.device(argv, Props.of("driver", "virtio-balloon-pci").put("id", "balloon0")
                .put("deflate-on-oom", onOff(balloon.autodeflate()))
                .put("free-page-reporting", onOff(balloon.freePageReporting())).putAll(c.pciProps(balloon)));
        }
        List<GuestDef.Rng> rngs = c.def.devices().rngs();
        for (int i = 0; i < rngs.size(); i++) {
            GuestDef.Rng rng = rngs.get(i);
            Props backend;
            if ("builtin".equals(rng.backend())) {
                backend = Props.of("qom-type", "rng-builtin").put("id", "objrng" + i);
            } else if (rng.egd() != null) {
                CharSection.backendChardev(c, argv, rng.egd(), "rng" + i);
                backend = Props.of("qom-type", "rng-egd").put("id", "objrng" + i).put("chardev", "charrng" + i);
            } else {
                backend = Props.of("qom-type", "rng-random").put("id", "objrng" + i)
                    .put("filename", rng.path() == null ? "/dev/urandom" : rng.path());
            }
            c.object(argv, backend);
            c.device(argv, Props.of("driver", "virtio-rng-pci").put("rng", "objrng" + i).put("id", "rng" + i)
                .put("max-bytes", rng.rateBytes()).put("period", rng.ratePeriod()).putAll(c.pciProps(rng)));
        }
    }

    /** A libvirt on/off switch as a QEMU boolean property; absent when the definition does not set it. */
    private static Boolean onOff(String state) {
        return state == null ? null : "on".equals(state);
    }

    /**
     * A vsock: QEMU takes the vhost-vsock descriptor from the daemon, which jvirtd cannot pass yet, so only
     * virConnectDomainXMLToNative shows it (descriptor -1 and the context id 0 of an automatic one, as libvirt
     * when it opens nothing); a start refuses it.
     */
    static void vsocks(BuildContext c, List<String> argv) {
        for (int i = 0; i < c.def.devices().vsocks().size(); i++) {
            GuestDef.Vsock vsock = c.def.devices().vsocks().get(i);
            if (c.cfg.argvMode() == QemuConf.ArgvMode.LAUNCH) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "jvirtd does not run vsock devices yet");
            }
            c.device(argv, Props.of("driver", "vhost-vsock-pci").put("id", "vsock" + i)
                .put("guest-cid", vsock.cid() == null ? 0 : vsock.cid()).put("vhostfd", "-1")
                .putAll(c.pciProps(vsock)));
        }
    }

    /** An ISA panic notifier is QEMU's pvpanic device, at the I/O port the definition gives it. */
    static void panics(BuildContext c, List<String> argv) {
        for (GuestDef.Panic panic : c.def.devices().panics()) {
            if (panic.model() == null || "isa".equals(panic.model())) {
                c.device(argv, Props.of("driver", "pvpanic")
                    .put("ioport", panic.ioport() == null ? null : Integer.decode(panic.ioport())));
            }
        }
    }
}
