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
    /** VIR_DOMAIN_DIRTYRATE_MODE_PAGE_SAMPLING, _BITMAP and _RING. */
    public static final int PAGE_SAMPLING = 1;
    public static final int BITMAP = 2;
    public static final int RING = 4;

    private DirtyRate() {
    }

    public static void start(QemuRun run, GuestDef def, int seconds, int flags) {
        int modes = Integer.bitCount(flags & (PAGE_SAMPLING | BITMAP | RING));
        if (modes > 1) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "Flags 'VIR_DOMAIN_DIRTYRATE_MODE_PAGE_SAMPLING', "
                + "'VIR_DOMAIN_DIRTYRATE_MODE_BITMAP' and 'VIR_DOMAIN_DIRTYRATE_MODE_RING' are mutually exclusive");
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
