package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_RET;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainFlags;
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
 * The REMOTE procedures that tune or poke a domain: vCPU counts and pinning, maximum memory, keys, NMI, reset, and the
 * CPU model names of an architecture.
 */
public final class DomainControlProcedures {

    public void bindTo(ProcedureTable table) {
        table.bind(RemoteProcedure.DOMAIN_SET_VCPUS, in -> new Count(Types.readDomain(in), in.readInt(), 0), NO_RET,
            (call, args) -> run(() -> call.connection().setVcpus(args.dom(), args.count(), DomainFlags.AFFECT_LIVE)));
        table.bind(RemoteProcedure.DOMAIN_SET_VCPUS_FLAGS,
            in -> new Count(Types.readDomain(in), in.readInt(), in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().setVcpus(args.dom(), args.count(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_GET_MAX_VCPUS, Types::readDomain, Types::writeInt,
            (call, dom) -> call.connection().vcpus(dom, DomainFlags.AFFECT_LIVE | DomainFlags.VCPU_MAXIMUM));
        table.bind(RemoteProcedure.DOMAIN_GET_MAX_MEMORY, Types::readDomain, XdrWriter::writeHyper,
            (call, dom) -> call.connection().maxMemory(dom));
        table.bind(RemoteProcedure.DOMAIN_SET_MAX_MEMORY, in -> new Memory(Types.readDomain(in), in.readHyper()),
            NO_RET, (call, args) -> run(() -> call.connection().setMemory(args.dom(), args.kib(),
                DomainFlags.MEM_MAXIMUM)));
        table.bind(RemoteProcedure.DOMAIN_PIN_VCPU,
            in -> new Pin(Types.readDomain(in), in.readInt(), in.readOpaque(Protocol.CPUMAP_MAX), 0), NO_RET,
            (call, args) -> run(() -> call.connection().pinVcpu(args.dom(), args.vcpu(), args.cpus(),
                DomainFlags.AFFECT_LIVE)));
        table.bind(RemoteProcedure.DOMAIN_PIN_VCPU_FLAGS,
            in -> new Pin(Types.readDomain(in), in.readInt(), in.readOpaque(Protocol.CPUMAP_MAX), in.readInt()),
            NO_RET, (call, args) -> run(() -> call.connection().pinVcpu(args.dom(), args.vcpu(), args.cpus(),
                args.flags())));
        table.bind(RemoteProcedure.DOMAIN_PIN_EMULATOR,
            in -> new Pin(Types.readDomain(in), -1, in.readOpaque(Protocol.CPUMAP_MAX), in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().pinEmulator(args.dom(), args.cpus(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_GET_EMULATOR_PIN_INFO,
            in -> new Count(Types.readDomain(in), in.readInt(), in.readInt()),
            (XdrWriter out, byte[] map) -> out.writeOpaque(map).writeInt(1), (call, args) -> {
                if (args.count() > Protocol.CPUMAPS_MAX) {
                    throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, "maplen > REMOTE_CPUMAPS_MAX");
                }
                BitSet cpus = call.connection().emulatorPinInfo(args.dom(), args.flags());
                return DomainStatsProcedures.cpuMaps(List.of(cpus), 1, Math.max(args.count(), 0));
            });
        table.bind(RemoteProcedure.DOMAIN_SEND_KEY, SendKey::read, NO_RET,
            (call, args) -> run(() -> call.connection().sendKey(args.dom(), args.codeset(), args.holdtime(),
                args.keycodes(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_INJECT_NMI, DomainAndFlags::read, NO_RET,
            (call, args) -> run(() -> call.connection().injectNmi(args.dom(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_RESET, DomainAndFlags::read, NO_RET,
            (call, args) -> run(() -> call.connection().reset(args.dom(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_GET_PERF_EVENTS, DomainAndFlags::read,
            (XdrWriter out, List<TypedParameter> params) -> TypedParams.writeAll(out, params),
            (call, args) -> call.connection().perfEvents(args.dom(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_GET_NUMA_PARAMETERS,
            in -> new Count(Types.readDomain(in), in.readInt(), in.readInt()), DomainControlProcedures::writeCounted,
            (call, args) -> new Counted(call.connection().numaParameters(args.dom(), args.flags()), args.count()));
        table.bind(RemoteProcedure.DOMAIN_GET_INTERFACE_PARAMETERS,
            in -> new Device(Types.readDomain(in), Types.readString(in), in.readInt(), in.readInt()),
            DomainControlProcedures::writeCounted, (call, args) -> new Counted(
                call.connection().interfaceParameters(args.dom(), args.count() == 0 ? null : args.device(),
                    args.flags()), args.count()));
        table.bind(RemoteProcedure.DOMAIN_GET_IOTHREAD_INFO, DomainAndFlags::read,
            (XdrWriter out, IoThreads t) -> {
                out.writeArray(t.threads(), (w, thread) -> w.writeInt(thread.getKey())
                    .writeOpaque(DomainStatsProcedures.cpuMaps(List.of(thread.getValue()), 1, t.maplen())));
                out.writeInt(t.threads().size());
            }, (call, args) -> new IoThreads(call.connection().iothreadInfo(args.dom(), args.flags()),
                (call.connection().nodeCpuMap(0).cpus() + 7) / 8));
        table.bind(RemoteProcedure.DOMAIN_GET_CONTROL_INFO, DomainAndFlags::read,
            (XdrWriter out, long[] info) -> out.writeInt((int) info[0]).writeInt((int) info[1]).writeHyper(info[2]),
            (call, args) -> call.connection().controlInfo(args.dom(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_CORE_DUMP,
            in -> new Dump(Types.readDomain(in), Types.readString(in), 0, in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().coreDump(args.dom(), args.to(), args.format(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_CORE_DUMP_WITH_FORMAT,
            in -> new Dump(Types.readDomain(in), Types.readString(in), in.readInt(), in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().coreDump(args.dom(), args.to(), args.format(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_MANAGED_SAVE_GET_XML_DESC, DomainAndFlags::read, XdrWriter::writeString,
            (call, args) -> call.connection().managedSaveXml(args.dom(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_MANAGED_SAVE_DEFINE_XML,
            in -> new ImageXml(Types.readDomain(in), null, Types.readOptionalString(in), in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().managedSaveDefine(args.dom(), args.xml(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_SAVE_IMAGE_GET_XML_DESC,
            in -> new ImageXml(null, Types.readString(in), null, in.readInt()), XdrWriter::writeString,
            (call, args) -> call.connection().saveImageXml(args.file(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_SAVE_IMAGE_DEFINE_XML,
            in -> new ImageXml(null, Types.readString(in), Types.readString(in), in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().saveImageDefine(args.file(), args.xml(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_IS_UPDATED, Types::readDomain, Types::writeInt,
            (call, dom) -> call.connection().isUpdated(dom) ? 1 : 0);
        table.bind(RemoteProcedure.CONNECT_GET_SYSINFO, in -> in.readInt(), XdrWriter::writeString,
            (call, flags) -> call.connection().sysinfo(flags));
        table.bind(RemoteProcedure.CONNECT_GET_CPU_MODEL_NAMES, ModelNamesArgs::read,
            (XdrWriter out, ModelNames names) -> names.write(out),
            (call, args) -> {
                List<String> models = call.connection().cpuModelNames(args.arch(), args.flags());
                return new ModelNames(args.needResults() ? models : List.of(), models.size());
            });
    }

    private static Void run(Runnable action) {
        action.run();
        return null;
    }

    record Count(DomainRef dom, int count, int flags) {
    }

    record Memory(DomainRef dom, long kib) {
    }

    record Device(DomainRef dom, String device, int count, int flags) {
    }

    record Dump(DomainRef dom, String to, int format, int flags) {
    }

    /** A save image named by its domain (managed) or its file, and a replacement definition. */
    record ImageXml(DomainRef dom, String file, String xml, int flags) {
    }

    /** IOThreads with their CPU maps, each {@code maplen} bytes: one bit per host CPU, as libvirt sizes them. */
    record IoThreads(List<Map.Entry<Integer, BitSet>> threads, int maplen) {
    }

    /** Typed parameters for a caller that gave {@code nparams}: 0 asks only how many there are. */
    record Counted(List<TypedParameter> params, int nparams) {
    }

    /** { remote_typed_param params<>; int nparams }: the parameters, or with nparams 0 only their count. */
    private static void writeCounted(XdrWriter out, Counted counted) {
        boolean countOnly = counted.nparams() == 0;
        TypedParams.writeAll(out, countOnly ? List.of() : counted.params().subList(0,
            Math.min(counted.nparams(), counted.params().size())));
        out.writeInt(countOnly ? counted.params().size() : 0);
    }

    /** A pinning call's arguments: the vCPU (-1 for the emulator) and a CPU map (CPU n is bit n % 8 of byte n / 8). */
    record Pin(DomainRef dom, int vcpu, byte[] map, int flags) {
        BitSet cpus() {
            return BitSet.valueOf(map);
        }
    }

    /** remote_domain_send_key_args { dom; unsigned codeset; unsigned holdtime; unsigned keycodes<16>; flags }. */
    record SendKey(DomainRef dom, int codeset, int holdtime, int[] keycodes, int flags) {
        static SendKey read(XdrReader in) {
            DomainRef dom = Types.readDomain(in);
            int codeset = in.readInt();
            int holdtime = in.readInt();
            List<Integer> codes = in.readArray(Protocol.SEND_KEY_MAX, 4, XdrReader::readInt);
            return new SendKey(dom, codeset, holdtime, codes.stream().mapToInt(Integer::intValue).toArray(),
                in.readInt());
        }
    }

    record ModelNamesArgs(String arch, boolean needResults, int flags) {
        static ModelNamesArgs read(XdrReader in) {
            return new ModelNamesArgs(Types.readString(in), in.readInt() != 0, in.readInt());
        }
    }

    /** remote_connect_get_cpu_model_names_ret { remote_nonnull_string models<8192>; int ret }. */
    record ModelNames(List<String> models, int count) {
        void write(XdrWriter out) {
            out.writeArray(models, XdrWriter::writeString).writeInt(count);
        }
    }
}
