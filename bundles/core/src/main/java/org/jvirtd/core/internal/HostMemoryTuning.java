package org.jvirtd.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;

/**
 * The host memory settings libvirt's node calls change: the KSM tunables under /sys/kernel/mm/ksm
 * (virNodeSetMemoryParameters) and the huge page pools (virNodeAllocPages), checked and worded as libvirt's
 * host code does (errors from no particular domain).
 */
final class HostMemoryTuning {
    static final HostMemoryTuning SYSTEM = new HostMemoryTuning(Path.of("/"));

    /** The KSM files that can be written, all unsigned ints. */
    private static final List<String> KSM_SETTABLE = List.of("shm_pages_to_scan", "shm_sleep_millisecs",
        "shm_merge_across_nodes");
    /** The size of an ordinary page in KiB; the kernel keeps that pool itself. */
    private static final int SYSTEM_PAGE_KIB = 4;

    private final Path root;

    /** Settings of the host whose /sys is under {@code root} ("/" for this one). */
    HostMemoryTuning(Path root) {
        this.root = root;
    }

    /** virHostMemSetParameters: every parameter is checked before the first is written. */
    void setKsmParameters(List<TypedParameter> params, int flags) {
        // libvirt 9.0 names the getter here
        VirtErrors.checkFlags(ErrorDomain.NONE, flags, 0, "virHostMemGetParameters");
        for (TypedParameter param : params) {
            if (!KSM_SETTABLE.contains(param.field())) {
                throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.NONE,
                    "parameter '" + param.field() + "' not supported");
            }
            if (param.type() != TypedParameter.Type.UINT) {
                throw VirtErrors.invalidArg(ErrorDomain.NONE, "invalid type '" + param.type().label()
                    + "' for parameter '" + param.field() + "', expected 'uint'");
            }
        }
        for (TypedParameter param : params) {
            if (!Files.exists(ksmFile(param))) {
                throw VirtErrors.operationInvalid(ErrorDomain.NONE, "Parameter '" + param.field()
                    + "' is not supported by this kernel");
            }
        }
        for (TypedParameter param : params) {
            try {
                Files.writeString(ksmFile(param), Integer.toUnsignedString((Integer) param.value()));
            } catch (IOException e) {
                throw VirtErrors.system(ErrorDomain.NONE, "failed to set " + param.field(), e);
            }
        }
    }

    private Path ksmFile(TypedParameter param) {
        return root.resolve("sys/kernel/mm/ksm").resolve(param.field().substring("shm_".length()));
    }

    /**
     * virHostMemAllocPages: sets (or, with {@code add}, grows by) each huge page pool of each cell from
     * {@code startCell} (-1: the host's pools), and answers how many pools it went through.
     */
    int allocPages(List<Integer> pageSizesKiB, List<Long> counts, int startCell, int cellCount, boolean add) {
        int lastCell = startCell;
        if (startCell != -1 || cellCount != 1) {
            int maxNode = new HostStatistics(root).maxNode();
            if (startCell < 0 || startCell > maxNode) {
                throw VirtErrors.internal(ErrorDomain.NONE,
                    "start cell " + startCell + " out of range (0-" + maxNode + ")");
            }
            lastCell = (int) Math.min(maxNode, (long) startCell + cellCount - 1);
        }
        int pools = 0;
        for (int cell = startCell; cell <= lastCell; cell++) {
            for (int i = 0; i < pageSizesKiB.size(); i++) {
                setPool(cell, pageSizesKiB.get(i), counts.get(i), add);
                pools++;
            }
        }
        return pools;
    }

    private void setPool(int cell, int sizeKiB, long count, boolean add) {
        if (sizeKiB == SYSTEM_PAGE_KIB) {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.NONE,
                "system pages pool can't be modified");
        }
        String size = Integer.toUnsignedString(sizeKiB);
        Path base = cell == -1 ? root.resolve("sys/kernel/mm/hugepages")
            : root.resolve("sys/devices/system/node/node" + cell + "/hugepages");
        Path dir = base.resolve("hugepages-" + size + "kB");
        if (!Files.isDirectory(dir)) {
            throw VirtErrors.operationFailed(ErrorDomain.NONE, "page size " + size + " is not available"
                + (cell == -1 ? "" : " on node " + cell));
        }
        Path nr = dir.resolve("nr_hugepages");
        long now = read(nr);
        long wanted = add ? now + count : count;
        if (add && count == 0 || wanted == now) {
            return;
        }
        try {
            Files.writeString(nr, Long.toUnsignedString(wanted));
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.NONE, "Unable to write to: " + nr, e);
        }
        long got = read(nr);
        if (got != wanted) {
            throw VirtErrors.operationFailed(ErrorDomain.NONE, "Unable to allocate " + Long.toUnsignedString(wanted)
                + " pages. Allocated only " + Long.toUnsignedString(got));
        }
    }

    private static long read(Path file) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            throw VirtErrors.operationFailed(ErrorDomain.NONE, "Unable to parse " + file);
        }
    }
}
