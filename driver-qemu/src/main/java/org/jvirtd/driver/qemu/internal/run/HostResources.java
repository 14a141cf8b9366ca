package org.jvirtd.driver.qemu.internal.run;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * What a guest takes from the host before QEMU starts: graphics ports, and names for the TAP devices
 * QEMU creates itself (type='ethernet').
 */
final class HostResources {
    private HostResources() {
    }

    /** The definition with autoport graphics given free ports and TAP interfaces given free vnet names. */
    static GuestDef allocate(GuestDef def, int portMin) {
        List<GuestDef.Graphics> graphics = new ArrayList<>();
        int next = portMin;
        for (GuestDef.Graphics g : def.devices().graphics()) {
            if (g.autoport()) {
                int port = freePort(next);
                next = port + 1;
                graphics.add(g.withPorts(port, g.tlsPort()));
            } else {
                graphics.add(g);
            }
        }
        List<GuestDef.Interface> nets = new ArrayList<>();
        for (GuestDef.Interface n : def.devices().interfaces()) {
            nets.add(n.targetDev() != null || "user".equals(n.type()) ? n : withTap(n, freeTapName()));
        }
        GuestDef.Devices d = def.devices();
        return def.withDevices(new GuestDef.Devices(d.emulator(), d.disks(), d.controllers(), nets, d.serials(),
            d.consoles(), d.channels(), d.inputs(), graphics, d.videos(), d.watchdogs(), d.rngs(), d.memballoon(),
            d.sounds(), d.redirdevs(), d.panics(),
            d.tpms(), d.parallels(), d.filesystems(), d.iommus(), d.smartcards(),
            d.vsocks(), d.hostdevs()));
    }

    private static GuestDef.Interface withTap(GuestDef.Interface n, String tap) {
        return new GuestDef.Interface(n.type(), n.mac(), n.model(), n.sourceBridge(), n.sourceNetwork(), tap,
            n.script(), n.bootOrder(), n.pci(), n.rxQueueSize());
    }

    private static int freePort(int from) {
        for (int port = from; port < 65535; port++) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException e) {
                // taken: try the next one
            }
        }
        throw VirtErrors.internal(ErrorDomain.QEMU, "Unable to find an unused port for graphics");
    }

    private static synchronized String freeTapName() {
        for (int i = 0; ; i++) {
            if (!Files.exists(Path.of("/sys/class/net/vnet" + i))) {
                return "vnet" + i;
            }
        }
    }
}
