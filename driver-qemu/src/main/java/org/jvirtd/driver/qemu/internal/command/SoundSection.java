package org.jvirtd.driver.qemu.internal.command;

import java.util.List;

import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Sound cards as libvirt passes them: an HDA controller with one codec device per {@code <codec>} (hda-duplex
 * when none is given), the other PCI cards and the ISA sb16 as one device playing to their audio backend, the PC
 * speaker as {@code -soundhw pcspk}.
 */
final class SoundSection {
    private SoundSection() {
    }

    static void sounds(BuildContext c, List<String> argv) {
        List<GuestDef.Sound> sounds = c.def.devices().sounds();
        for (int i = 0; i < sounds.size(); i++) {
            GuestDef.Sound s = sounds.get(i);
            String id = "sound" + i;
            String audiodev = "audio" + s.audioId();
            switch (s.model()) {
                case "ich6", "ich7", "ich9" -> {
                    c.device(argv, Props.of("driver", "ich9".equals(s.model()) ? "ich9-intel-hda" : "intel-hda")
                        .put("id", id).putAll(c.pciProps(s)));
                    List<String> codecs = s.codecs().isEmpty() ? List.of("duplex") : s.codecs();
                    for (int k = 0; k < codecs.size(); k++) {
                        c.device(argv, Props.of("driver", "hda-" + codecs.get(k)).put("id", id + "-codec" + k)
                            .put("bus", id + ".0").put("cad", k).put("audiodev", audiodev));
                    }
                }
                case "ac97", "es1370" -> c.device(argv, Props.of("driver", s.model().toUpperCase(java.util.Locale.ROOT))
                    .put("id", id).put("audiodev", audiodev).putAll(c.pciProps(s)));
                case "sb16" -> c.device(argv, Props.of("driver", "sb16").put("id", id).put("audiodev", audiodev));
                case "pcspk" -> {
                    argv.add("-soundhw"); // the PC speaker is part of the machine, not a device of its own
                    argv.add("pcspk");
                }
                default -> {
                    // USB audio cards are not built yet.
                }
            }
        }
    }

    /** Whether the card sits on the PCI bus. */
    static boolean isPci(GuestDef.Sound sound) {
        return List.of("ich6", "ich7", "ich9", "ac97", "es1370").contains(String.valueOf(sound.model()));
    }
}
