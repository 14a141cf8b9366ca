package org.jvirtd.core.internal;

import java.util.List;
import java.util.function.Supplier;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.DomainBlockOperations;
import org.jvirtd.api.domain.BlockJobInfo;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.driver.BlockOperations;
import org.jvirtd.api.driver.HypervisorDriver;

import static org.jvirtd.api.domain.BlockJobFlags.*;

/**
 * The block calls of one connection, checked once for every driver as libvirt's entry points and its QEMU
 * driver check them (read-only connection, flags, bandwidth units and range, a running domain), then handed
 * to the driver's {@link BlockOperations}.
 */
final class CoreBlockOperations implements DomainBlockOperations {
    /** The largest bandwidth in MiB/s that still fits bytes/s in a signed 64-bit number. */
    private static final long MAX_MIB_PER_SECOND = Long.MAX_VALUE >> 20;

    private final boolean readOnly;
    private final Supplier<HypervisorDriver> driver;
    private final DriverDomains domains;

    CoreBlockOperations(boolean readOnly, Supplier<HypervisorDriver> driver, DriverDomains domains) {
        this.readOnly = readOnly;
        this.driver = driver;
        this.domains = domains;
    }

    @Override
    public void resize(DomainRef domain, String disk, long size, int flags) {
        check("virDomainBlockResize", flags, RESIZE_BYTES, "DomainBlockResize");
        long bytes = (flags & RESIZE_BYTES) != 0 ? size : kibToBytes(size);
        run(domain, (handle, ops) -> ops.resize(handle, disk, bytes));
    }

    private long kibToBytes(long kib) {
        if (Long.compareUnsigned(kib, Long.MAX_VALUE / 1024) > 0) {
            throw new VirtException(ErrorCode.OVERFLOW, driver.get().errorDomain(),
                "size must be less than " + Long.MAX_VALUE / 1024 + " KiB");
        }
        return kib * 1024;
    }

    @Override
    public void setThreshold(DomainRef domain, String disk, long threshold, int flags) {
        check("virDomainSetBlockThreshold", flags, 0, "DomainSetBlockThreshold");
        run(domain, (handle, ops) -> ops.setThreshold(handle, disk, threshold));
    }

    @Override
    public void commit(DomainRef domain, String disk, String base, String top, long bandwidth, int flags) {
        check("virDomainBlockCommit", flags, COMMIT_SHALLOW | COMMIT_ACTIVE | COMMIT_RELATIVE
            | COMMIT_BANDWIDTH_BYTES, "DomainBlockCommit");
        long bytes = bandwidthBytes(bandwidth, (flags & COMMIT_BANDWIDTH_BYTES) != 0);
        run(domain, (handle, ops) -> ops.commit(handle, disk, base, top, bytes, flags & ~COMMIT_BANDWIDTH_BYTES));
    }

    @Override
    public void rebase(DomainRef domain, String disk, String base, long bandwidth, int flags) {
        check("virDomainBlockRebase", flags, REBASE_SHALLOW | REBASE_REUSE_EXT | REBASE_COPY | REBASE_COPY_RAW
            | REBASE_RELATIVE | REBASE_COPY_DEV | REBASE_BANDWIDTH_BYTES, "DomainBlockRebase");
        long bytes = bandwidthBytes(bandwidth, (flags & REBASE_BANDWIDTH_BYTES) != 0);
        if ((flags & REBASE_COPY) == 0) {
            run(domain, (handle, ops) -> ops.pull(handle, disk, base, bytes, flags & REBASE_RELATIVE));
            return;
        }
        String type = (flags & REBASE_COPY_DEV) != 0 ? "block" : "file";
        String destination = "<disk type='" + type + "'><source " + ("block".equals(type) ? "dev" : "file") + "='"
            + xmlEscape(base) + "'/>" + ((flags & REBASE_COPY_RAW) != 0 ? "<driver type='raw'/>" : "") + "</disk>";
        int copyFlags = ((flags & REBASE_SHALLOW) != 0 ? COPY_SHALLOW : 0)
            | ((flags & REBASE_REUSE_EXT) != 0 ? COPY_REUSE_EXT : 0);
        List<TypedParameter> params = bytes == 0 ? List.of()
            : List.of(new TypedParameter("bandwidth", TypedParameter.Type.ULLONG, bytes));
        run(domain, (handle, ops) -> ops.copy(handle, disk, destination, params, copyFlags));
    }

    /** virDomainBlockPull is a rebase onto nothing that takes only the bandwidth flag. */
    @Override
    public void pull(DomainRef domain, String disk, long bandwidth, int flags) {
        check("virDomainBlockPull", flags, REBASE_BANDWIDTH_BYTES, "DomainBlockPull");
        long bytes = bandwidthBytes(bandwidth, (flags & REBASE_BANDWIDTH_BYTES) != 0);
        run(domain, (handle, ops) -> ops.pull(handle, disk, null, bytes, 0));
    }

    @Override
    public void copy(DomainRef domain, String disk, String destinationXml, List<TypedParameter> params, int flags) {
        check("virDomainBlockCopy", flags, COPY_SHALLOW | COPY_REUSE_EXT | COPY_TRANSIENT_JOB
            | COPY_SYNCHRONOUS_WRITES, "DomainBlockCopy");
        run(domain, (handle, ops) -> ops.copy(handle, disk, destinationXml, params, flags));
    }

    @Override
    public BlockJobInfo jobInfo(DomainRef domain, String disk, int flags) {
        HypervisorDriver hv = driver.get();
        VirtErrors.checkFlags(hv.errorDomain(), flags, INFO_BANDWIDTH_BYTES, hv.name() + "DomainGetBlockJobInfo");
        return domains.onRunning(domain, (handle, d) -> d.blockOperations().jobInfo(handle, disk, flags));
    }

    @Override
    public void abortJob(DomainRef domain, String disk, int flags) {
        check("virDomainBlockJobAbort", flags, ABORT_ASYNC | ABORT_PIVOT, "DomainBlockJobAbort");
        run(domain, (handle, ops) -> ops.abortJob(handle, disk, flags));
    }

    @Override
    public void setJobSpeed(DomainRef domain, String disk, long bandwidth, int flags) {
        check("virDomainBlockJobSetSpeed", flags, INFO_BANDWIDTH_BYTES, "DomainBlockJobSetSpeed");
        long bytes = bandwidthBytes(bandwidth, (flags & INFO_BANDWIDTH_BYTES) != 0);
        run(domain, (handle, ops) -> ops.setJobSpeed(handle, disk, bytes));
    }

    private void check(String api, int flags, int known, String driverApi) {
        if (readOnly) {
            throw VirtErrors.readOnly(api);
        }
        HypervisorDriver hv = driver.get();
        VirtErrors.checkFlags(hv.errorDomain(), flags, known, hv.name() + driverApi);
    }

    /** A bandwidth in bytes/s from MiB/s unless given in bytes, refused as libvirt refuses one too large. */
    private long bandwidthBytes(long bandwidth, boolean inBytes) {
        if (inBytes) {
            if (bandwidth < 0) {
                throw new VirtException(ErrorCode.OVERFLOW, driver.get().errorDomain(),
                    "bandwidth must be less than " + Long.toUnsignedString(Long.MAX_VALUE));
            }
            return bandwidth;
        }
        if (Long.compareUnsigned(bandwidth, MAX_MIB_PER_SECOND) > 0) {
            throw new VirtException(ErrorCode.OVERFLOW, driver.get().errorDomain(),
                "bandwidth must be less than " + MAX_MIB_PER_SECOND);
        }
        return bandwidth << 20;
    }

    private void run(DomainRef domain, DriverCall call) {
        domains.onRunning(domain, (handle, hv) -> {
            call.run(handle, hv.blockOperations());
            return null;
        });
    }

    private static String xmlEscape(String text) {
        return text.replace("&", "&amp;").replace("'", "&apos;").replace("<", "&lt;");
    }

    @FunctionalInterface
    private interface DriverCall {
        void run(org.jvirtd.api.driver.DomainHandle handle, BlockOperations ops);
    }
}
