package org.jvirtd.model.domain.qemu;

import java.util.Map;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlNode;

/**
 * Adds the audio backend a definition without one gets: SPICE audio for SPICE graphics, host passthrough (from
 * QEMU_AUDIO_DRV) where qemu.conf or SDL allows it, and the "none" backend otherwise.
 */
final class AudioDefaults {
    private static final Map<String, String> QEMU_AUDIO_NAMES = Map.of("pa", "pulseaudio", "wav", "file");

    private AudioDefaults() {
    }

    static void apply(Guest guest) {
        if (!guest.list("audio").isEmpty()) {
            return;
        }
        boolean add = false;
        boolean passthrough = false;
        String backend = "none";
        for (XmlNode graphics : guest.list("graphics")) {
            switch (String.valueOf(graphics.attr("type"))) {
                case "vnc" -> {
                    passthrough = guest.config.vncAllowHostAudio();
                    backend = "none";
                    add = true;
                }
                case "spice" -> {
                    passthrough = false;
                    backend = "spice";
                    add = true;
                }
                case "sdl" -> {
                    passthrough = true;
                    add = true;
                }
                default -> {
                }
            }
        }
        if (guest.list("graphics").isEmpty()) {
            passthrough = guest.config.nogfxAllowHostAudio();
            add = true;
        }
        if (add && passthrough) {
            String env = guest.config.environment().get("QEMU_AUDIO_DRV");
            if (env == null) {
                add = false;
            } else {
                backend = QEMU_AUDIO_NAMES.getOrDefault(env, env);
            }
        }
        if (!add) {
            return;
        }
        XmlNode audio = new XmlNode("audio", null).set("id", "1").set("type", backend);
        String sdlDriver = guest.config.environment().get("SDL_AUDIODRIVER");
        if (backend.equals("sdl") && sdlDriver != null) {
            if (sdlDriver.isEmpty()) {
                throw Errors.unsupported(ErrorDomain.QEMU, "unknown SDL audio driver '" + sdlDriver + "'");
            }
            audio.set("driver", sdlDriver);
        }
        guest.append(audio);
    }
}
