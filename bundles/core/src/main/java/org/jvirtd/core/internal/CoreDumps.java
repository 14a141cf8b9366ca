package org.jvirtd.core.internal;

import java.nio.file.Path;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.domain.StateReason;

/**
 * virDomainCoreDump(WithFormat) with libvirt's sequence: a running guest is paused for the dump unless LIVE,
 * then destroyed (CRASH, shut off as crashed), reset (RESET) or resumed.
 */
final class CoreDumps {
    static final int CRASH = 1;
    static final int LIVE = 2;
    static final int BYPASS_CACHE = 4;
    static final int RESET = 8;
    static final int MEMORY_ONLY = 16;
    /** VIR_DOMAIN_CORE_DUMP_FORMAT_LAST. */
    private static final int FORMATS = 5;

    private final DriverDomains domains;

    CoreDumps(DriverDomains domains) {
        this.domains = domains;
    }

    void dump(DomainRef ref, String to, int format, int flags) {
        boolean memoryOnly = (flags & MEMORY_ONLY) != 0;
        if (format < 0 || format >= FORMATS) {
            throw VirtErrors.invalidArg(domains.from(), "unknown dumpformat '" + format + "'");
        }
        if (!memoryOnly && format != 0) {
            throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, domains.from(),
                "kdump-compressed format is only supported with memory-only dump");
        }
        domains.lockedDo(ref, (d, hv) -> {
            domains.requireActive(d);
            boolean pause = (flags & LIVE) == 0 && d.state() == DomainState.RUNNING;
            if (pause) {
                hv.suspend(domains.handle(d));
                domains.applyState(d, DomainState.PAUSED, StateReason.PAUSED_DUMP);
            }
            try {
                hv.coreDump(domains.handle(d), Path.of(to), format, memoryOnly);
            } finally {
                if ((flags & CRASH) != 0) {
                    hv.destroy(domains.handle(d));
                    domains.stopped(d, StateReason.SHUTOFF_CRASHED);
                } else {
                    if ((flags & RESET) != 0) {
                        hv.reset(domains.handle(d));
                    }
                    if (pause) {
                        hv.resume(domains.handle(d));
                        domains.applyState(d, DomainState.RUNNING, StateReason.RUNNING_UNPAUSED);
                    }
                }
            }
        });
    }
}
