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
 * The REMOTE procedures of a domain's resource controls: memory limits (memtune) and the CPU scheduler's
 * parameters (schedinfo), as typed parameters.
 */
public final class DomainResourceProcedures {
    /** REMOTE_DOMAIN_MEMORY_PARAMETERS_MAX and REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX. */
    static final int PARAMETERS_MAX = 16;

    public void bindTo(ProcedureTable table) {
        table.bind(RemoteProcedure.DOMAIN_GET_MEMORY_PARAMETERS, Query::read, DomainResourceProcedures::writeCounted,
            (call, args) -> new Counted(call.connection().memoryParameters(args.dom(), args.flags()),
                checked(args.nparams())));
        table.bind(RemoteProcedure.DOMAIN_SET_MEMORY_PARAMETERS, Change::read, NO_RET, (call, args) -> {
            call.connection().setMemoryParameters(args.dom(), args.params(), args.flags());
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
