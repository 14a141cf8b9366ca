package org.jvirtd.core.internal;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.domain.DomainRef;

/**
 * The calls that look into a domain without changing it, with libvirt's public and driver checks: block and
 * memory peeks, and starting a dirty page rate calculation.
 */
final class DomainPeeks {
    /** VIR_MEMORY_VIRTUAL and VIR_MEMORY_PHYSICAL. */
    static final int MEMORY_VIRTUAL = 1;
    static final int MEMORY_PHYSICAL = 2;
    /** libvirt's MIN_DIRTYRATE_CALC_PERIOD and MAX_DIRTYRATE_CALC_PERIOD, in seconds. */
    private static final int DIRTYRATE_MIN = 1;
    private static final int DIRTYRATE_MAX = 60;
    /** VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP | _DIRTY_RING (page sampling is 0). */
    private static final int DIRTYRATE_MODES = 1 | 2;

    private final DriverDomains domains;

    DomainPeeks(DriverDomains domains) {
        this.domains = domains;
    }

    byte[] blockPeek(DomainRef ref, String disk, long offset, int size, int flags) {
        if (disk == null || disk.isEmpty()) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN, "disk in virDomainBlockPeek must not be empty");
        }
        checkFlags(flags, 0, "DomainBlockPeek");
        return domains.locked(ref, (d, hv) -> hv.blockPeek(domains.handle(d), disk, offset, size));
    }

    byte[] memoryPeek(DomainRef ref, long offset, int size, int flags) {
        if ((flags & MEMORY_VIRTUAL) != 0 && (flags & MEMORY_PHYSICAL) != 0) {
            throw VirtErrors.invalidArg(ErrorDomain.DOMAIN,
                "Flags 'VIR_MEMORY_VIRTUAL' and 'VIR_MEMORY_PHYSICAL' are mutually exclusive");
        }
        checkFlags(flags, MEMORY_VIRTUAL | MEMORY_PHYSICAL, "DomainMemoryPeek");
        if (flags == 0) {
            throw VirtErrors.invalidArg(domains.from(),
                "flags parameter must be VIR_MEMORY_VIRTUAL or VIR_MEMORY_PHYSICAL");
        }
        return domains.locked(ref, (d, hv) -> {
            domains.requireActive(d);
            return hv.memoryPeek(domains.handle(d), offset, size, flags == MEMORY_PHYSICAL);
        });
    }

    void startDirtyRateCalc(DomainRef ref, int seconds, int flags) {
        checkFlags(flags, DIRTYRATE_MODES, "DomainStartDirtyRateCalc");
        if (seconds < DIRTYRATE_MIN || seconds > DIRTYRATE_MAX) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, domains.from(), "seconds=" + seconds
                + " is invalid, please choose value within [" + DIRTYRATE_MIN + ", " + DIRTYRATE_MAX + "].");
        }
        domains.lockedDo(ref, (d, hv) -> {
            domains.requireActive(d);
            hv.startDirtyRateCalc(domains.handle(d), seconds, flags);
        });
    }

    /** virCheckFlags as the driver runs it, naming its function ("qemuDomainBlockPeek"). */
    private void checkFlags(int flags, int known, String api) {
        VirtErrors.checkFlags(domains.from(), flags, known, domains.driverName() + api);
    }
}
