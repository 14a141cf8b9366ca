package org.jvirtd.driver.qemu.internal.command;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Serial ports, parallel ports, channels and consoles: a {@code -chardev} host side and the guest device. A serial-type
 * console is the first serial port; with no serial port it becomes one. Virtio consoles come last, as
 * virtconsole ports.
 */
public final class CharSection {
    private CharSection() {
    }

    static void serialsAndChannels(BuildContext c, List<String> argv) {
        List<GuestDef.Chardev> serials = serials(c.def);
        int fdset = 0;
        for (int i = 0; i < serials.size(); i++) {
            GuestDef.Chardev serial = serials.get(i);
            String alias = "serial" + i;
            fdset = chardev(c, argv, serial, "char" + alias, alias, fdset);
            c.device(argv, Props.of("driver", "isa-serial").put("chardev", "char" + alias).put("id", alias)
                .put("index", serial.targetPort() != null ? serial.targetPort() : i));
        }
        List<GuestDef.Chardev> parallels = c.def.devices().parallels();
        for (int i = 0; i < parallels.size(); i++) {
            String alias = "parallel" + i;
            fdset = chardev(c, argv, parallels.get(i), "char" + alias, alias, fdset);
            c.device(argv, Props.of("driver", "isa-parallel").put("chardev", "char" + alias).put("id", alias));
        }
        List<GuestDef.Chardev> channels = c.def.devices().channels();
        for (int i = 0; i < channels.size(); i++) {
            GuestDef.Chardev channel = channels.get(i);
            String alias = "channel" + i;
            fdset = chardev(c, argv, channel, "char" + alias, alias, fdset);
            if ("virtio".equals(channel.targetType())) {
                GuestDef.VirtioSerialAddress port = channel.serialAddress();
                c.device(argv, Props.of("driver", "virtserialport")
                    .put("bus", port == null ? "virtio-serial0.0" : "virtio-serial" + port.controller() + "." + port.bus())
                    .put("nr", port == null ? i + 1 : port.port())
                    .put("chardev", "char" + alias).put("id", alias).put("name", channel.targetName()));
            }
        }
        List<GuestDef.Chardev> consoles = c.def.devices().consoles();
        for (int i = 0; i < consoles.size(); i++) {
            if ("virtio".equals(consoles.get(i).targetType())) {
                String alias = "console" + i;
                fdset = chardev(c, argv, consoles.get(i), "char" + alias, alias, fdset);
                c.device(argv, Props.of("driver", "virtconsole").put("chardev", "char" + alias).put("id", alias));
            }
        }
    }

    /** The serial ports, with a lone serial-type console standing in for serial0 as libvirt makes it. */
    public static List<GuestDef.Chardev> serials(GuestDef def) {
        List<GuestDef.Chardev> serials = new ArrayList<>(def.devices().serials());
        if (serials.isEmpty() && !def.devices().consoles().isEmpty()) {
            GuestDef.Chardev console = def.devices().consoles().get(0);
            if (console.targetType() == null || "serial".equals(console.targetType())) {
                serials.add(console);
            }
        }
        return serials;
    }

    /** The -chardev of a device's backend that is not itself a character device (an RNG's EGD source). */
    static void backendChardev(BuildContext c, List<String> argv, GuestDef.Chardev chr, String alias) {
        chardev(c, argv, chr, "char" + alias, alias, 0);
    }

    /** Adds the {@code -chardev} of a host side; returns the next free fd set of libvirt's test mode. */
    static int chardev(BuildContext c, List<String> argv, GuestDef.Chardev chr, String id, String alias,
                               int fdset) {
        String path = chr.path();
        StringBuilder out = new StringBuilder();
        switch (chr.type()) {
            case "file" -> {
                if (c.cfg.pretend()) {
                    argv.add("-add-fd");
                    argv.add("set=" + fdset + ",fd=1750,opaque=" + alias + "-source");
                    path = "/dev/fdset/" + fdset++;
                }
                out.append("file,id=").append(id).append(",path=").append(Props.escapeCommas(path));
                if (chr.append()) {
                    out.append(",append=on");
                }
            }
            case "tcp" -> {
                out.append("socket,id=").append(id).append(",host=").append(chr.host()).append(",port=")
                    .append(chr.service());
                if ("telnet".equals(chr.protocol())) {
                    out.append(",telnet=on");
                }
                if ("bind".equals(chr.mode())) {
                    out.append(",server=on,wait=off");
                }
            }
            case "unix" -> {
                boolean listen = !"connect".equals(chr.mode());
                out.append("socket,id=").append(id);
                if (listen && c.cfg.pretend()) {
                    out.append(",fd=1729");
                } else {
                    String socket = path != null ? path
                        : chr.targetName() != null ? c.cfg.channelDir(c.def.id(), c.def.name())
                            .resolve(chr.targetName()).toString()
                        : c.privateDir.resolve(alias).toString();
                    out.append(",path=").append(Props.escapeCommas(socket));
                }
                if (listen) {
                    out.append(",server=on,wait=off");
                }
            }
            case "udp" -> {
                out.append("udp,id=").append(id).append(",host=").append(chr.host() == null ? "" : chr.host())
                    .append(",port=").append(chr.service());
                if (chr.bindHost() != null) {
                    out.append(",localaddr=").append(chr.bindHost());
                }
                if (chr.bindService() != null) {
                    out.append(",localport=").append(chr.bindService());
                }
            }
            case "pipe" -> out.append("pipe,id=").append(id).append(",path=").append(Props.escapeCommas(path));
            case "null", "vc", "stdio" -> out.append(chr.type()).append(",id=").append(id);
            // A spicevmc channel is SPICE's agent channel (a redirdev's would be usbredir, not built yet).
            case "spicevmc" -> out.append("spicevmc,id=").append(id).append(",name=vdagent");
            case "dev" -> out.append("serial,id=").append(id).append(",path=").append(Props.escapeCommas(path));
            case "pty" -> out.append("pty,id=").append(id);
            case "qemu-vdagent" -> {
                // QEMU's own SPICE agent: clipboard sharing and the mouse mode only where the source sets them
                out.append("qemu-vdagent,id=").append(id).append(",name=vdagent");
                if (chr.clipboard() != null) {
                    out.append(",clipboard=").append("yes".equals(chr.clipboard()) ? "on" : "off");
                }
                if ("client".equals(chr.mouseMode()) || "server".equals(chr.mouseMode())) {
                    out.append(",mouse=").append("client".equals(chr.mouseMode()) ? "on" : "off");
                }
            }
            default -> throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                "jvirtd does not run character devices of type '" + chr.type() + "' yet");
        }
        if (chr.logFile() != null) {
            out.append(",logfile=").append(Props.escapeCommas(chr.logFile()));
            if (chr.logAppend() != null) {
                out.append(",logappend=").append(chr.logAppend());
            }
        }
        argv.add("-chardev");
        argv.add(out.toString());
        return fdset;
    }
}
