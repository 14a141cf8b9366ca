package org.jvirtd.driver.qemu.internal;

import java.util.List;
import java.util.function.Function;

import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.domain.BlockJobInfo;
import org.jvirtd.api.driver.BlockOperations;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.driver.qemu.internal.block.BlockJobs;
import org.jvirtd.driver.qemu.internal.run.QemuRun;

/** The QEMU driver's block operations: each goes to the block jobs of the domain's running QEMU. */
final class QemuBlockOperations implements BlockOperations {
    private final Function<DomainHandle, QemuRun> runs;

    QemuBlockOperations(Function<DomainHandle, QemuRun> runs) {
        this.runs = runs;
    }

    private BlockJobs jobs(DomainHandle domain) {
        return runs.apply(domain).blockJobs();
    }

    @Override
    public void resize(DomainHandle domain, String disk, long bytes) {
        jobs(domain).resize(domain, disk, bytes);
    }

    @Override
    public void setThreshold(DomainHandle domain, String disk, long threshold) {
        jobs(domain).setThreshold(domain, disk, threshold);
    }

    @Override
    public void commit(DomainHandle domain, String disk, String base, String top, long bandwidthBytes, int flags) {
        jobs(domain).commit(domain, disk, base, top, bandwidthBytes, flags);
    }

    @Override
    public void pull(DomainHandle domain, String disk, String base, long bandwidthBytes, int flags) {
        jobs(domain).pull(domain, disk, base, bandwidthBytes, flags);
    }

    @Override
    public void copy(DomainHandle domain, String disk, String destinationXml, List<TypedParameter> params,
                     int flags) {
        jobs(domain).copy(domain, disk, destinationXml, params, flags);
    }

    @Override
    public BlockJobInfo jobInfo(DomainHandle domain, String disk, int flags) {
        return jobs(domain).info(domain, disk, flags);
    }

    @Override
    public void abortJob(DomainHandle domain, String disk, int flags) {
        jobs(domain).abort(domain, disk, flags);
    }

    @Override
    public void setJobSpeed(DomainHandle domain, String disk, long bandwidthBytes) {
        jobs(domain).setSpeed(domain, disk, bandwidthBytes);
    }
}
