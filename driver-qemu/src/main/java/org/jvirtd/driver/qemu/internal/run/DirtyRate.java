package org.jvirtd.driver.qemu.internal.run;

import java.time.Duration;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * virDomainStartDirtyRateCalc on a running QEMU: QMP calc-dirty-rate in the mode the flags name (page sampling
 * when none), as libvirt 9.0 starts it; the result is read later with query-dirty-rate.
 */
public final class DirtyRate {
    /** VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP and _DIRTY_RING (page sampling is 0, the default). */
    public static final int BITMAP = 1;
    public static final int RING = 2;

    private DirtyRate() {
    }

    public static void start(QemuRun run, GuestDef def, int seconds, int flags) {
        if ((flags & BITMAP) != 0 && (flags & RING) != 0) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "Flags 'VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP' and "
                + "'VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING' are mutually exclusive");
        }
        Props args = Props.of("calc-time", seconds);
        if ((flags & BITMAP) != 0) {
            args.put("mode", "dirty-bitmap");
        } else if ((flags & RING) != 0) {
            // QEMU keeps a dirty ring only for a KVM guest that asked for it
            if (!def.isKvm()) {
                throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU,
                    "dirty-ring calculation mode requires dirty-ring feature enabled.");
            }
            args.put("mode", "dirty-ring");
        }
        run.qmp().execute("calc-dirty-rate", args, Duration.ofSeconds(30));
    }
}
