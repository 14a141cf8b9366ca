package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_RET;

import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.TypedParams;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The REMOTE procedures of a domain's resource controls: memory limits (memtune), block I/O (blkiotune), the CPU scheduler's
 * parameters (schedinfo) and the CPU time accounted to the guest (cpu-stats), as typed parameters.
 */
public final class DomainResourceProcedures {
    /** REMOTE_DOMAIN_MEMORY/SCHEDULER/BLKIO_PARAMETERS_MAX. */
    static final int PARAMETERS_MAX = 16;
    /** REMOTE_NODE_CPU_STATS_MAX, which libvirtd holds a cpu-stats call's nparams to. */
    static final int NODE_CPU_STATS_MAX = 16;
    /** REMOTE_DOMAIN_GET_CPU_STATS_NCPUS_MAX. */
    static final int CPU_STATS_NCPUS_MAX = 128;

    public void bindTo(ProcedureTable table) {
        table.bind(RemoteProcedure.DOMAIN_GET_MEMORY_PARAMETERS, Query::read, DomainResourceProcedures::writeCounted,
            (call, args) -> new Counted(call.connection().memoryParameters(args.dom(), args.flags()),
                checked(args.nparams())));
        table.bind(RemoteProcedure.DOMAIN_SET_MEMORY_PARAMETERS, Change::read, NO_RET, (call, args) -> {
            call.connection().setMemoryParameters(args.dom(), args.params(), args.flags());
            return null;
        });
        table.bind(RemoteProcedure.DOMAIN_GET_CPU_STATS, CpuStatsArgs::read,
            (XdrWriter out, CpuStats stats) -> {
                TypedParams.writeAll(out, stats.params());
                out.writeInt(stats.nparams());
            },
            (call, args) -> cpuStats(call.connection(), args));
        table.bind(RemoteProcedure.DOMAIN_GET_BLKIO_PARAMETERS, Query::read, DomainResourceProcedures::writeCounted,
            (call, args) -> new Counted(call.connection().blkioParameters(args.dom(), args.flags()),
                checked(args.nparams())));
        table.bind(RemoteProcedure.DOMAIN_SET_BLKIO_PARAMETERS, Change::read, NO_RET, (call, args) -> {
            call.connection().setBlkioParameters(args.dom(), args.params(), args.flags());
            return null;
        });
        table.bind(RemoteProcedure.DOMAIN_GET_SCHEDULER_TYPE, Types::readDomain,
            (XdrWriter out, Integer count) -> out.writeString("posix").writeInt(count),
            (call, dom) -> call.connection().schedulerParameterCount(dom));
        table.bind(RemoteProcedure.DOMAIN_GET_SCHEDULER_PARAMETERS,
            in -> new Query(Types.readDomain(in), in.readInt(), 0),
            (XdrWriter out, List<TypedParameter> params) -> TypedParams.writeAll(out, params),
            (call, args) -> first(call.connection().schedulerParameters(args.dom(), DomainFlags.AFFECT_CURRENT),
                checked(args.nparams())));
        table.bind(RemoteProcedure.DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS, Query::read,
            (XdrWriter out, List<TypedParameter> params) -> TypedParams.writeAll(out, params),
            (call, args) -> first(call.connection().schedulerParameters(args.dom(), args.flags()),
                checked(args.nparams())));
        table.bind(RemoteProcedure.DOMAIN_SET_SCHEDULER_PARAMETERS,
            in -> new Change(Types.readDomain(in), TypedParams.readAll(in, PARAMETERS_MAX), 0), NO_RET,
            (call, args) -> {
                call.connection().setSchedulerParameters(args.dom(), args.params(), DomainFlags.AFFECT_CURRENT);
                return null;
            });
        table.bind(RemoteProcedure.DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS, Change::read, NO_RET, (call, args) -> {
            call.connection().setSchedulerParameters(args.dom(), args.params(), args.flags());
            return null;
        });
    }

    /**
     * remote_domain_get_cpu_stats: with nparams 0 only a count (of the total parameters for start_cpu -1, of the host
     * CPUs for ncpus 0, else of the parameters per CPU); otherwise up to nparams parameters of each CPU, one CPU
     * after the other, and how many each has.
     */
    private static CpuStats cpuStats(org.jvirtd.api.connect.Connection conn, CpuStatsArgs args) {
        if (args.nparams() > NODE_CPU_STATS_MAX) {
            throw VirtErrors.internal(ErrorDomain.RPC, "nparams too large");
        }
        if (Integer.toUnsignedLong(args.ncpus()) > CPU_STATS_NCPUS_MAX) {
            throw VirtErrors.internal(ErrorDomain.RPC, "ncpus too large");
        }
        if (args.nparams() == 0) {
            int count;
            if (args.startCpu() == -1) {
                count = conn.cpuStats(args.dom(), -1, 1, args.flags()).get(0).size();
            } else if (args.ncpus() == 0) {
                count = conn.cpuStats(args.dom(), 0, Integer.MAX_VALUE, args.flags()).size();
            } else {
                count = conn.cpuStats(args.dom(), 0, 1, args.flags()).get(0).size();
            }
            return new CpuStats(List.of(), count);
        }
        List<TypedParameter> flat = new java.util.ArrayList<>();
        int perCpu = 0;
        for (List<TypedParameter> cpu : conn.cpuStats(args.dom(), args.startCpu(), args.ncpus(), args.flags())) {
            List<TypedParameter> kept = first(cpu, args.nparams());
            flat.addAll(kept);
            perCpu = Math.max(perCpu, kept.size());
        }
        return new CpuStats(flat, perCpu);
    }

    /** { dom; unsigned nparams; int start_cpu; unsigned ncpus; unsigned flags }. */
    record CpuStatsArgs(DomainRef dom, int nparams, int startCpu, int ncpus, int flags) {
        static CpuStatsArgs read(XdrReader in) {
            return new CpuStatsArgs(Types.readDomain(in), in.readInt(), in.readInt(), in.readInt(), in.readInt());
        }
    }

    /** { remote_typed_param params<REMOTE_DOMAIN_GET_CPU_STATS_MAX>; int nparams }. */
    record CpuStats(List<TypedParameter> params, int nparams) {
    }

    /** libvirtd refuses more parameters than its reply may carry before it asks the driver. */
    private static int checked(int nparams) {
        if (nparams > PARAMETERS_MAX) {
            throw VirtErrors.internal(ErrorDomain.RPC, "nparams too large");
        }
        return nparams;
    }

    private static List<TypedParameter> first(List<TypedParameter> params, int nparams) {
        return params.subList(0, Math.min(Math.max(nparams, 0), params.size()));
    }

    /** { remote_typed_param params<>; int nparams }: the parameters, or with nparams 0 only their count. */
    private static void writeCounted(XdrWriter out, Counted counted) {
        boolean countOnly = counted.nparams() == 0;
        TypedParams.writeAll(out, countOnly ? List.of() : first(counted.params(), counted.nparams()));
        out.writeInt(countOnly ? counted.params().size() : 0);
    }

    record Counted(List<TypedParameter> params, int nparams) {
    }

    /** { dom; int nparams; unsigned flags }. */
    record Query(DomainRef dom, int nparams, int flags) {
        static Query read(XdrReader in) {
            return new Query(Types.readDomain(in), in.readInt(), in.readInt());
        }
    }

    /** { dom; remote_typed_param params<16>; unsigned flags }. */
    record Change(DomainRef dom, List<TypedParameter> params, int flags) {
        static Change read(XdrReader in) {
            return new Change(Types.readDomain(in), TypedParams.readAll(in, PARAMETERS_MAX), in.readInt());
        }
    }
}
