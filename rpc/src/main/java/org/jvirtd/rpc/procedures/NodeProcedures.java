package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_ARGS;

import java.util.BitSet;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection.CpuMap;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.TypedParams;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The node procedures of the host's resources: CPU and memory statistics, free memory per NUMA cell, the
 * CPU map, free pages and the KSM parameters, with the bounds libvirtd's dispatch enforces on them; and the
 * calls that change the host: KSM parameters, huge page pools, suspend.
 */
public final class NodeProcedures {
    /** REMOTE_NODE_CPU_STATS_MAX and REMOTE_NODE_MEMORY_STATS_MAX. */
    static final int NODE_STATS_MAX = 16;
    /** REMOTE_NODE_MAX_CELLS. */
    static final int NODE_MAX_CELLS = 1024;
    /** REMOTE_NODE_MEMORY_PARAMETERS_MAX. */
    static final int NODE_MEMORY_PARAMETERS_MAX = 64;

    /** The arguments of the two statistics calls: a CPU or cell number, the caller's nparams, flags. */
    record StatsArgs(int index, int nparams, int flags) {
    }

    /** A list of parameters, or only their number when the caller asked for that (nparams 0). */
    record Params(List<TypedParameter> params, boolean countOnly) {
        void write(XdrWriter out, boolean typed) {
            List<TypedParameter> sent = countOnly ? List.of() : params;
            if (typed) {
                TypedParams.writeAll(out, sent);
            } else {
                out.writeArray(sent, (w, p) -> w.writeString(p.field()).writeHyper(((Number) p.value()).longValue()));
            }
            // libvirtd fills nparams only in the answer to "how many"
            out.writeInt(countOnly ? params.size() : 0);
        }
    }

    record CellsArgs(int startCell, int maxCells) {
    }

    record CpuMapArgs(boolean needMap, boolean needOnline, int flags) {
    }

    /** remote_node_get_cpu_map_ret { opaque cpumap<REMOTE_CPUMAP_MAX>; unsigned int online; int ret; }. */
    record CpuMapReply(byte[] map, int online, int cpus) {
        void write(XdrWriter out) {
            out.writeOpaque(map).writeUnsignedInt(online).writeInt(cpus);
        }
    }

    record FreePagesArgs(List<Integer> pages, int startCell, int cellCount, int flags) {
    }

    /** remote_node_alloc_pages_args { pageSizes<>; unsigned hyper pageCounts<>; startCell; cellCount; flags }. */
    record AllocPagesArgs(List<Integer> sizes, List<Long> counts, int startCell, int cellCount, int flags) {
        static AllocPagesArgs read(XdrReader in) {
            List<Integer> sizes = in.readArray(NODE_MAX_CELLS, 4, XdrReader::readInt);
            List<Long> counts = in.readArray(NODE_MAX_CELLS, 8, XdrReader::readHyper);
            return new AllocPagesArgs(sizes, counts, in.readInt(), in.readInt(), in.readInt());
        }
    }

    /** remote_node_suspend_for_duration_args { unsigned int target; unsigned hyper duration; unsigned int flags }. */
    record SuspendArgs(int target, long duration, int flags) {
    }

    /** remote_node_set_memory_parameters_args { remote_typed_param params<>; unsigned int flags }. */
    record SetParams(List<TypedParameter> params, int flags) {
    }

    public void bindTo(ProcedureTable table) {
        bindChanges(table);
        table.bind(RemoteProcedure.NODE_GET_CPU_STATS, in -> new StatsArgs(in.readInt(), in.readInt(), in.readInt()),
            (XdrWriter out, Params p) -> p.write(out, false), (call, args) -> {
                checkNparams(args.nparams(), NODE_STATS_MAX);
                return new Params(call.connection().nodeCpuStats(args.index(), args.nparams(), args.flags()),
                    args.nparams() == 0);
            });
        table.bind(RemoteProcedure.NODE_GET_MEMORY_STATS, NodeProcedures::readMemoryStatsArgs,
            (XdrWriter out, Params p) -> p.write(out, false), (call, args) -> {
                checkNparams(args.nparams(), NODE_STATS_MAX);
                return new Params(call.connection().nodeMemoryStats(args.index(), args.nparams(), args.flags()),
                    args.nparams() == 0);
            });
        table.bind(RemoteProcedure.NODE_GET_FREE_MEMORY, NO_ARGS, Types::writeHyper,
            (call, args) -> call.connection().nodeFreeMemory());
        table.bind(RemoteProcedure.NODE_GET_CELLS_FREE_MEMORY, in -> new CellsArgs(in.readInt(), in.readInt()),
            NodeProcedures::writeHypers, (call, args) -> {
                if (args.maxCells() > NODE_MAX_CELLS) {
                    throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, "maxcells > REMOTE_NODE_MAX_CELLS");
                }
                return call.connection().nodeCellsFreeMemory(args.startCell(), args.maxCells());
            });
        table.bind(RemoteProcedure.NODE_GET_CPU_MAP,
            in -> new CpuMapArgs(in.readInt() != 0, in.readInt() != 0, in.readInt()),
            (XdrWriter out, CpuMapReply reply) -> reply.write(out), (call, args) -> {
                CpuMap map = call.connection().nodeCpuMap(args.flags());
                return new CpuMapReply(args.needMap() ? mapBytes(map.online(), map.cpus()) : new byte[0],
                    args.needOnline() ? map.online().cardinality() : 0, map.cpus());
            });
        table.bind(RemoteProcedure.NODE_GET_FREE_PAGES, NodeProcedures::readFreePagesArgs, NodeProcedures::writeHypers,
            (call, args) -> {
                if ((long) args.pages().size() * Integer.toUnsignedLong(args.cellCount()) > NODE_MAX_CELLS) {
                    throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC,
                        "the result won't fit into REMOTE_NODE_MAX_CELLS");
                }
                return call.connection().nodeFreePages(args.pages(), args.startCell(), args.cellCount(),
                    args.flags());
            });
        table.bind(RemoteProcedure.NODE_GET_MEMORY_PARAMETERS, in -> new StatsArgs(0, in.readInt(), in.readInt()),
            (XdrWriter out, Params p) -> p.write(out, true), (call, args) -> {
                checkNparams(args.nparams(), NODE_MEMORY_PARAMETERS_MAX);
                return new Params(call.connection().nodeMemoryParameters(args.nparams(), args.flags()),
                    args.nparams() == 0);
            });
    }

    private static void bindChanges(ProcedureTable table) {
        table.bind(RemoteProcedure.NODE_SET_MEMORY_PARAMETERS,
            in -> new SetParams(TypedParams.readAll(in, NODE_MEMORY_PARAMETERS_MAX), in.readInt()),
            ProcedureTable.NO_RET, (call, args) -> {
                call.connection().setNodeMemoryParameters(args.params(), args.flags());
                return null;
            });
        table.bind(RemoteProcedure.NODE_ALLOC_PAGES, AllocPagesArgs::read, Types::writeInt, (call, args) -> {
            // libvirtd passes the sizes' count for both arrays
            if (args.counts().size() < args.sizes().size()) {
                throw VirtErrors.internal(ErrorDomain.RPC, "fewer page counts than page sizes");
            }
            return call.connection().nodeAllocPages(args.sizes(), args.counts().subList(0, args.sizes().size()),
                args.startCell(), args.cellCount(), args.flags());
        });
        table.bind(RemoteProcedure.NODE_SUSPEND_FOR_DURATION,
            in -> new SuspendArgs(in.readInt(), in.readHyper(), in.readInt()), ProcedureTable.NO_RET,
            (call, args) -> {
                call.connection().nodeSuspend(args.target(), args.duration(), args.flags());
                return null;
            });
    }

    /** remote_node_get_memory_stats_args { int nparams; int cellNum; unsigned int flags; }. */
    private static StatsArgs readMemoryStatsArgs(XdrReader in) {
        int nparams = in.readInt();
        return new StatsArgs(in.readInt(), nparams, in.readInt());
    }

    /** remote_node_get_free_pages_args { unsigned int pages<REMOTE_NODE_MAX_CELLS>; int startCell; unsigned int cellCount; unsigned int flags; }. */
    private static FreePagesArgs readFreePagesArgs(XdrReader in) {
        List<Integer> pages = in.readArray(NODE_MAX_CELLS, 4, XdrReader::readInt);
        return new FreePagesArgs(pages, in.readInt(), in.readInt(), in.readInt());
    }

    /** libvirtd refuses more parameters than the reply may carry before it calls the driver. */
    private static void checkNparams(int nparams, int max) {
        if (nparams > max) {
            throw VirtErrors.internal(ErrorDomain.RPC, "nparams too large");
        }
    }

    private static void writeHypers(XdrWriter out, List<Long> values) {
        out.writeArray(values, XdrWriter::writeHyper);
    }

    /** A CPU map as libvirt lays it out: (cpus + 7) / 8 bytes, CPUs beyond the host's count left out. */
    static byte[] mapBytes(BitSet online, int cpus) {
        return DomainStatsProcedures.cpuMaps(List.of(online.get(0, cpus)), 1, (cpus + 7) / 8);
    }
}
