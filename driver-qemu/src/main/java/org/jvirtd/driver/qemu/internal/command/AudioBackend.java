package org.jvirtd.driver.qemu.internal.command;

import java.util.Map;

import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * An {@code <audio>} element as QEMU's {@code -audiodev}: the backend's driver name, its own settings, and the
 * {@code in}/{@code out} directions, in the order libvirt 9.0 writes them.
 */
final class AudioBackend {
    private static final Map<String, String> DRIVERS = Map.of("pulseaudio", "pa", "file", "wav");

    private AudioBackend() {
    }

    static Props props(GuestDef.Audio audio) {
        String type = audio.type() == null ? "none" : audio.type();
        Props p = Props.of("id", "audio" + audio.id()).put("driver", DRIVERS.getOrDefault(type, type));
        Map<String, String> a = audio.attrs();
        number(p, "timer-period", a.get("timerPeriod"));
        switch (type) {
            case "file" -> text(p, "path", a.get("path"));
            case "pulseaudio" -> text(p, "server", a.get("serverName"));
            case "oss" -> {
                yesNo(p, "try-mmap", a.get("tryMMap"));
                yesNo(p, "exclusive", a.get("exclusive"));
                number(p, "dsp-policy", a.get("dspPolicy"));
            }
            default -> {
            }
        }
        direction(p, "in", type, audio.input());
        direction(p, "out", type, audio.output());
        return p;
    }

    private static void direction(Props parent, String key, String type, Map<String, String> d) {
        if (d.isEmpty()) {
            return;
        }
        Props p = new Props();
        yesNo(p, "mixing-engine", d.get("mixingEngine"));
        yesNo(p, "fixed-settings", d.get("fixedSettings"));
        number(p, "voices", d.get("voices"));
        number(p, "buffer-length", d.get("bufferLength"));
        number(p, "frequency", d.get("frequency"));
        number(p, "channels", d.get("channels"));
        text(p, "format", d.get("format"));
        switch (type) {
            case "alsa" -> text(p, "dev", d.get("dev"));
            case "coreaudio", "sdl" -> number(p, "buffer-count", d.get("bufferCount"));
            case "jack" -> {
                text(p, "server-name", d.get("serverName"));
                text(p, "client-name", d.get("clientName"));
                text(p, "connect-ports", d.get("connectPorts"));
                yesNo(p, "exact-name", d.get("exactName"));
            }
            case "oss" -> {
                text(p, "dev", d.get("dev"));
                number(p, "buffer-count", d.get("bufferCount"));
                yesNo(p, "try-poll", d.get("tryPoll"));
            }
            case "pulseaudio" -> {
                text(p, "name", d.get("name"));
                text(p, "stream-name", d.get("streamName"));
                number(p, "latency", d.get("latency"));
            }
            default -> {
            }
        }
        parent.put(key, p);
    }

    private static void text(Props p, String key, String value) {
        if (value != null) {
            p.put(key, value);
        }
    }

    private static void number(Props p, String key, String value) {
        if (value != null && value.strip().matches("-?\\d{1,18}")) {
            p.put(key, Long.parseLong(value.strip()));
        }
    }

    private static void yesNo(Props p, String key, String value) {
        if (value != null) {
            p.put(key, "yes".equals(value));
        }
    }
}
