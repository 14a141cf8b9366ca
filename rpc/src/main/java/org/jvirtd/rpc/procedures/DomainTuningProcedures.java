package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_RET;

import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.DomainArgs.DomainAndFlags;
import org.jvirtd.rpc.protocol.TypedParams;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The REMOTE procedures that change a domain's tunables and settings: IOThreads, disk throttles, NUMA policy,
 * interface bandwidth, perf events, lifecycle actions, its name; power management; disk errors and security
 * labels.
 */
public final class DomainTuningProcedures {
    /** REMOTE_DOMAIN_IOTHREAD_PARAMS_MAX. */
    static final int IOTHREAD_PARAMS_MAX = 64;
    /** REMOTE_DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX. */
    static final int BLOCK_IO_TUNE_MAX = 32;
    /** REMOTE_DOMAIN_NUMA_PARAMETERS_MAX and REMOTE_DOMAIN_INTERFACE_PARAMETERS_MAX. */
    static final int PARAMETERS_MAX = 16;
    /** REMOTE_DOMAIN_PERF_EVENTS_MAX. */
    static final int PERF_EVENTS_MAX = 64;
    /** REMOTE_DOMAIN_DISK_ERRORS_MAX. */
    static final int DISK_ERRORS_MAX = 256;

    public void bindTo(ProcedureTable table) {
        table.bind(RemoteProcedure.DOMAIN_ADD_IOTHREAD, IdArgs::read, NO_RET,
            (call, args) -> run(() -> call.connection().addIothread(args.dom(), args.id(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_DEL_IOTHREAD, IdArgs::read, NO_RET,
            (call, args) -> run(() -> call.connection().delIothread(args.dom(), args.id(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_PIN_IOTHREAD,
            in -> new PinArgs(Types.readDomain(in), in.readInt(), in.readOpaque(Protocol.CPUMAP_MAX), in.readInt()),
            NO_RET, (call, args) -> run(() -> call.connection().pinIothread(args.dom(), args.id(),
                java.util.BitSet.valueOf(args.map()), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_SET_IOTHREAD_PARAMS,
            in -> new IdParams(Types.readDomain(in), in.readInt(), TypedParams.readAll(in, IOTHREAD_PARAMS_MAX),
                in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().setIothreadParams(args.dom(), args.id(), args.params(),
                args.flags())));
        table.bind(RemoteProcedure.DOMAIN_SET_BLOCK_IO_TUNE,
            in -> new DeviceParams(Types.readDomain(in), Types.readString(in),
                TypedParams.readAll(in, BLOCK_IO_TUNE_MAX), in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().setBlockIoTune(args.dom(), args.device(), args.params(),
                args.flags())));
        table.bind(RemoteProcedure.DOMAIN_GET_BLOCK_IO_TUNE,
            in -> new TuneQuery(Types.readDomain(in), Types.readOptionalString(in), in.readInt(), in.readInt()),
            DomainTuningProcedures::writeCounted, (call, args) -> {
                if (args.nparams() > BLOCK_IO_TUNE_MAX) {
                    throw VirtErrors.internal(ErrorDomain.RPC, "nparams too large");
                }
                return new Counted(call.connection().blockIoTune(args.dom(),
                    args.nparams() == 0 ? null : args.disk(), args.flags()), args.nparams());
            });
        table.bind(RemoteProcedure.DOMAIN_SET_NUMA_PARAMETERS,
            in -> new DeviceParams(Types.readDomain(in), null, TypedParams.readAll(in, PARAMETERS_MAX), in.readInt()),
            NO_RET, (call, args) -> run(() -> call.connection().setNumaParameters(args.dom(), args.params(),
                args.flags())));
        table.bind(RemoteProcedure.DOMAIN_SET_INTERFACE_PARAMETERS,
            in -> new DeviceParams(Types.readDomain(in), Types.readString(in),
                TypedParams.readAll(in, PARAMETERS_MAX), in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().setInterfaceParameters(args.dom(), args.device(),
                args.params(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_SET_PERF_EVENTS,
            in -> new DeviceParams(Types.readDomain(in), null, TypedParams.readAll(in, PERF_EVENTS_MAX),
                in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().setPerfEvents(args.dom(), args.params(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_SET_VCPU,
            in -> new VcpuArgs(Types.readDomain(in), Types.readString(in), in.readInt(), in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().setVcpu(args.dom(), args.cpumap(), args.state(),
                args.flags())));
        table.bind(RemoteProcedure.DOMAIN_RENAME,
            in -> new RenameArgs(Types.readDomain(in), Types.readOptionalString(in), in.readInt()),
            Types::writeInt, (call, args) -> {
                call.connection().rename(args.dom(), args.newName(), args.flags());
                return 0;
            });
        table.bind(RemoteProcedure.DOMAIN_SET_LIFECYCLE_ACTION,
            in -> new LifecycleArgs(Types.readDomain(in), in.readInt(), in.readInt(), in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().setLifecycleAction(args.dom(), args.type(), args.action(),
                args.flags())));
        table.bind(RemoteProcedure.DOMAIN_PM_SUSPEND_FOR_DURATION,
            in -> new SuspendArgs(Types.readDomain(in), in.readInt(), in.readHyper(), in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().pmSuspend(args.dom(), args.target(), args.duration(),
                args.flags())));
        table.bind(RemoteProcedure.DOMAIN_PM_WAKEUP, DomainAndFlags::read, NO_RET,
            (call, args) -> run(() -> call.connection().pmWakeup(args.dom(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_SEND_PROCESS_SIGNAL,
            in -> new SignalArgs(Types.readDomain(in), in.readHyper(), in.readInt(), in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().sendProcessSignal(args.dom(), args.pid(), args.signum(),
                args.flags())));
        table.bind(RemoteProcedure.DOMAIN_GET_DISK_ERRORS,
            in -> new IdArgs(Types.readDomain(in), in.readInt(), in.readInt()),
            (XdrWriter out, DiskErrors errors) -> {
                out.writeArray(errors.shown(), (w, e) -> w.writeString(e.getKey()).writeInt(e.getValue()));
                out.writeInt(errors.count());
            }, (call, args) -> {
                if (Integer.toUnsignedLong(args.id()) > DISK_ERRORS_MAX) {
                    throw VirtErrors.internal(ErrorDomain.RPC, "maxerrors too large");
                }
                List<Map.Entry<String, Integer>> all = List.copyOf(
                    call.connection().diskErrors(args.dom(), args.flags()).entrySet());
                List<Map.Entry<String, Integer>> shown = all.subList(0, Math.min(all.size(), args.id()));
                return new DiskErrors(shown, args.id() == 0 ? all.size() : shown.size());
            });
        table.bind(RemoteProcedure.DOMAIN_GET_SECURITY_LABEL_LIST, Types::readDomain,
            (XdrWriter out, List<Connection.SecurityLabel> labels) -> {
                out.writeArray(labels, (w, label) -> {
                    Types.writeCharArray(w, label.label());
                    w.writeInt(label.enforcing() ? 1 : 0);
                });
                out.writeInt(labels.size());
            }, (call, dom) -> call.connection().securityLabels(dom));
    }

    private static Void run(Runnable action) {
        action.run();
        return null;
    }

    /** { remote_typed_param params<>; int nparams }: the parameters, or with nparams 0 only their count. */
    private static void writeCounted(XdrWriter out, Counted counted) {
        boolean countOnly = counted.nparams() == 0;
        TypedParams.writeAll(out, countOnly ? List.of() : counted.params().subList(0,
            Math.min(counted.nparams(), counted.params().size())));
        out.writeInt(countOnly ? counted.params().size() : 0);
    }

    record Counted(List<TypedParameter> params, int nparams) {
    }

    /** { dom; unsigned id (an IOThread id, or maxerrors); unsigned flags }. */
    record IdArgs(DomainRef dom, int id, int flags) {
        static IdArgs read(XdrReader in) {
            return new IdArgs(Types.readDomain(in), in.readInt(), in.readInt());
        }
    }

    /** { dom; unsigned iothreads_id; opaque cpumap<REMOTE_CPUMAP_MAX>; unsigned flags }. */
    record PinArgs(DomainRef dom, int id, byte[] map, int flags) {
    }

    record IdParams(DomainRef dom, int id, List<TypedParameter> params, int flags) {
    }

    /** { dom; [remote_nonnull_string disk or device;] remote_typed_param params<>; unsigned flags }. */
    record DeviceParams(DomainRef dom, String device, List<TypedParameter> params, int flags) {
    }

    /** { dom; remote_string disk; int nparams; unsigned flags }. */
    record TuneQuery(DomainRef dom, String disk, int nparams, int flags) {
    }

    record VcpuArgs(DomainRef dom, String cpumap, int state, int flags) {
    }

    record RenameArgs(DomainRef dom, String newName, int flags) {
    }

    record LifecycleArgs(DomainRef dom, int type, int action, int flags) {
    }

    record SuspendArgs(DomainRef dom, int target, long duration, int flags) {
    }

    record SignalArgs(DomainRef dom, long pid, int signum, int flags) {
    }

    /** remote_domain_get_disk_errors_ret { remote_domain_disk_error errors<>; int nerrors }. */
    record DiskErrors(List<Map.Entry<String, Integer>> shown, int count) {
    }
}
