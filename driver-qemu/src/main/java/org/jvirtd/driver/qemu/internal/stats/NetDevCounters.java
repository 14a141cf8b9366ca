package org.jvirtd.driver.qemu.internal.stats;

import java.util.List;

import org.jvirtd.api.domain.InterfaceStats;

/**
 * A host network device's counters from /proc/PID/net/dev (the namespace QEMU runs in). A TAP device's
 * transmit is the guest's receive, so its counters are swapped to give the guest's view, as libvirt does.
 */
public final class NetDevCounters {
    private NetDevCounters() {
    }

    /** The guest's view of TAP {@code device}, or null when the table has no such device. */
    public static InterfaceStats guestView(List<String> netDev, String device) {
        for (String line : netDev) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).trim().equals(device)) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < 12) {
                return null;
            }
            // host rx: bytes packets errs drop fifo frame compressed multicast; host tx: bytes packets errs drop
            return new InterfaceStats(Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]),
                Long.parseLong(f[11]), Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                Long.parseLong(f[3]));
        }
        return null;
    }
}
