package org.jvirtd.driver.qemu.internal.command;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * The audio backend and graphics consoles: {@code -vnc} and {@code -spice} with qemu.conf's listen
 * defaults, automatic UNIX sockets, TLS and password settings.
 */
final class GraphicsSection {
    private GraphicsSection() {
    }

    static void audioAndGraphics(BuildContext c, List<String> argv) {
        List<GuestDef.Graphics> graphics = c.def.devices().graphics();
        List<GuestDef.Audio> audios = c.def.extras().audios();
        if (audios.isEmpty()) {
            // a definition that did not pass the post-parse pass: the backend it would have got
            boolean spice = graphics.stream().anyMatch(g -> "spice".equals(g.type()));
            argv.add("-audiodev");
            argv.add(Props.of("id", "audio1").put("driver", spice ? "spice" : "none").json());
        }
        for (GuestDef.Audio audio : audios) {
            argv.add("-audiodev");
            argv.add(AudioBackend.props(audio).json());
        }
        for (GuestDef.Graphics g : graphics) {
            if ("vnc".equals(g.type())) {
                argv.add("-vnc");
                argv.add(vnc(c, g));
            } else if ("spice".equals(g.type())) {
                argv.add("-spice");
                argv.add(spice(c, g));
            }
        }
    }

    private static String vnc(BuildContext c, GuestDef.Graphics g) {
        GuestDef.Listen l = GraphicsListens.of(g, c.cfg, c.privateDir).listen();
        StringBuilder out = new StringBuilder();
        switch (l.type()) {
            case "socket" -> out.append("vnc=unix:").append(Props.escapeCommas(l.socket()));
            case "none" -> out.append("none");
            default -> {
                int port = g.port() != null ? g.port() : c.cfg.displayPortMin();
                String address = l.address().contains(":") ? "[" + l.address() + "]" : l.address();
                out.append(address).append(':').append(port - 5900);
            }
        }
        if (g.websocket() != null && g.websocket() > 0) {
            out.append(",websocket=").append(g.websocket());
        }
        if (g.sharePolicy() != null) {
            out.append(",share=").append(g.sharePolicy());
        }
        if (g.passwd() != null || c.cfg.vncPassword() != null) {
            out.append(",password=on");
        }
        List<GuestDef.Audio> audios = c.def.extras().audios();
        return out.append(",audiodev=audio").append(audios.isEmpty() ? 1 : audios.get(0).id()).toString();
    }

    private static String spice(BuildContext c, GuestDef.Graphics g) {
        GuestDef.Listen l = GraphicsListens.of(g, c.cfg, c.privateDir).listen();
        List<String> opts = new ArrayList<>();
        boolean tls = false;
        if ("socket".equals(l.type())) {
            opts.add("unix");
            opts.add("addr=" + Props.escapeCommas(l.socket()));
        } else if ("address".equals(l.type())) {
            Integer port = g.port() != null && g.port() > 0 ? g.port() : g.autoport() ? (Integer) 5901 : null;
            Integer tlsPort = g.tlsPort() != null && g.tlsPort() > 0 ? g.tlsPort()
                : g.autoport() && c.cfg.spiceTls() ? (Integer) (port == null ? 5901 : port + 1) : null;
            if (port != null) {
                opts.add("port=" + port);
            }
            if (tlsPort != null) {
                opts.add("tls-port=" + tlsPort);
                tls = true;
            }
            opts.add("addr=" + (l.address().contains(":") ? "[" + l.address() + "]" : l.address()));
        } else if ("none".equals(l.type())) {
            opts.add("port=0"); // QEMU needs a port or a tls-port: libvirt gives 0, none to listen on
        }
        if (g.passwd() == null && c.cfg.spicePassword() == null) {
            opts.add("disable-ticketing=on");
        }
        if (tls) {
            opts.add("x509-dir=" + Props.escapeCommas(c.cfg.spiceTlsDir()));
            if ("secure".equals(g.defaultMode())) {
                opts.add("tls-channel=default");
            } else if ("insecure".equals(g.defaultMode())) {
                opts.add("plaintext-channel=default");
            }
        }
        for (String[] o : g.spiceOptions()) {
            String option = spiceOption(o[0], o[1], o[2], o[3], tls);
            if (option != null) {
                opts.add(option);
            }
        }
        opts.add("seamless-migration=on");
        return String.join(",", opts);
    }

    private static String spiceOption(String element, String attribute, String value, String name, boolean tls) {
        return switch (element + "/" + attribute) {
            case "channel/mode" -> !tls ? null : "secure".equals(value) ? "tls-channel=" + name
                : "insecure".equals(value) ? "plaintext-channel=" + name : null;
            case "image/compression" -> "image-compression=" + value;
            case "jpeg/compression" -> "jpeg-wan-compression=" + value;
            case "zlib/compression" -> "zlib-glz-wan-compression=" + value;
            case "playback/compression" -> "playback-compression=" + value;
            case "streaming/mode" -> "streaming-video=" + value;
            case "mouse/mode" -> "agent-mouse=" + ("client".equals(value) ? "on" : "off");
            case "clipboard/copypaste" -> "no".equals(value) ? "disable-copy-paste=on" : null;
            case "filetransfer/enable" -> "no".equals(value) ? "disable-agent-file-xfer=on" : null;
            case "gl/enable" -> "gl=" + ("yes".equals(value) ? "on" : "off");
            default -> null;
        };
    }
}
