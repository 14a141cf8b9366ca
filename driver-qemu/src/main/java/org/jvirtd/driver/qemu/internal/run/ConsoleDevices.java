package org.jvirtd.driver.qemu.internal.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.driver.qemu.internal.command.CharSection;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.driver.qemu.internal.qmp.QmpClient;

/**
 * Finds the pseudo-terminal behind a guest's console as libvirt's virDomainOpenConsole does: the device
 * named by alias (serialN, or consoleN for a console that stands for a serial port), or the first console
 * or serial port; QEMU says which terminal it opened (query-chardev).
 */
public final class ConsoleDevices {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ConsoleDevices() {
    }

    public static Path pty(QmpClient qmp, GuestDef def, String devName) {
        List<GuestDef.Chardev> serials = CharSection.serials(def);
        int index = indexOf(devName, serials.size());
        if (index < 0) {
            throw VirtErrors.internal(ErrorDomain.QEMU, "cannot find character device "
                + (devName == null ? "<null>" : devName));
        }
        String alias = "serial" + index;
        if (!"pty".equals(serials.get(index).type())) {
            throw VirtErrors.internal(ErrorDomain.QEMU, "character device " + (devName == null ? alias : devName)
                + " is not using a PTY");
        }
        Path pty = ptys(qmp).get("char" + alias);
        if (pty == null) {
            throw VirtErrors.internal(ErrorDomain.QEMU, "character device " + alias + " has no PTY in QEMU");
        }
        return pty;
    }

    /** The pseudo-terminals QEMU opened, by chardev label (query-chardev's "pty:/dev/pts/N" files). */
    public static Map<String, Path> ptys(QmpClient qmp) {
        Map<String, Path> result = new java.util.HashMap<>();
        Object reply = qmp.execute("query-chardev", null, TIMEOUT);
        for (Object entry : reply instanceof List<?> list ? list : List.of()) {
            if (entry instanceof Map<?, ?> chardev && chardev.get("label") instanceof String label
                && chardev.get("filename") instanceof String file && file.startsWith("pty:")) {
                result.put(label, Path.of(file.substring("pty:".length())));
            }
        }
        return result;
    }

    /** The serial port a name picks; -1 when it names none. */
    private static int indexOf(String devName, int serials) {
        if (devName == null) {
            return serials > 0 ? 0 : -1;
        }
        for (String prefix : new String[] {"serial", "console"}) {
            if (devName.startsWith(prefix) && devName.substring(prefix.length()).matches("\\d+")) {
                int index = Integer.parseInt(devName.substring(prefix.length()));
                // only console0 can stand for a serial port; other consoles are virtio or other targets
                boolean usable = prefix.equals("serial") || index == 0;
                return usable && index < serials ? index : -1;
            }
        }
        return -1;
    }

    /**
     * The UNIX socket of a channel named by alias (channelN) or virtio target name, or of the first channel
     * for null, as libvirt's QEMU driver finds it for virDomainOpenChannel (only UNIX socket channels).
     */
    public static Path channelSocket(GuestDef def, String name) {
        List<GuestDef.Chardev> channels = def.devices().channels();
        GuestDef.Chardev found = null;
        String alias = null;
        for (int i = 0; found == null && i < channels.size(); i++) {
            GuestDef.Chardev channel = channels.get(i);
            if (name == null || name.equals("channel" + i)
                || "virtio".equals(channel.targetType()) && name.equals(channel.targetName())) {
                found = channel;
                alias = "channel" + i;
            }
        }
        if (found == null) {
            throw VirtErrors.internal(ErrorDomain.QEMU, "cannot find channel " + (name == null ? "<null>" : name));
        }
        if (!"unix".equals(found.type()) || found.path() == null) {
            throw VirtErrors.internal(ErrorDomain.QEMU, "channel " + (name == null ? alias : name)
                + " is not using a UNIX socket");
        }
        return Path.of(found.path());
    }
}
