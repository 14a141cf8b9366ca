package org.jvirtd.rpc.procedures;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.BlockInfo;
import org.jvirtd.api.domain.DomainInterface;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainStats;
import org.jvirtd.api.domain.InterfaceStats;
import org.jvirtd.api.domain.MemoryStat;
import org.jvirtd.api.domain.VcpuInfo;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.TypedParams;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The domain statistics procedures: disk, interface and memory counters of one domain, and
 * virConnectGetAllDomainStats / virDomainListGetStats, with the bounds libvirtd's dispatch enforces.
 */
public final class DomainStatsProcedures {
    /** REMOTE_DOMAIN_BLOCK_STATS_PARAMETERS_MAX. */
    static final int BLOCK_STATS_PARAMETERS_MAX = 16;
    /** REMOTE_DOMAIN_MEMORY_STATS_MAX. */
    static final int MEMORY_STATS_MAX = 1024;
    /** REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX: records, and parameters per record. */
    static final int ALL_DOMAIN_STATS_MAX = 262144;

    record DiskArgs(DomainRef domain, String disk, int nparams, int flags) {
    }

    /** A domain, how many CPU maps the caller takes, each map's length in bytes, and flags. */
    record MapArgs(DomainRef domain, int count, int maplen, int flags) {
    }

    record DeviceArgs(DomainRef domain, String device) {
    }

    /** A domain, an unsigned count or selector (maxStats, source) and flags. */
    record DomainCountFlags(DomainRef domain, long max, int flags) {
    }

    record AllArgs(List<DomainRef> domains, int stats, int flags) {
    }

    /** Typed parameters, or only their number when the caller asked for that (nparams 0). */
    record Counted(List<TypedParameter> params, boolean countOnly) {
        void write(XdrWriter out) {
            TypedParams.writeAll(out, countOnly ? List.of() : params);
            out.writeInt(countOnly ? params.size() : 0);
        }
    }

    public void bindTo(ProcedureTable table) {
        table.bind(RemoteProcedure.DOMAIN_BLOCK_STATS,
            in -> new DiskArgs(Types.readDomain(in), Types.readString(in), 0, 0),
            DomainStatsProcedures::writeBlockStats, (call, args) -> call.connection().blockStats(args.domain(),
                args.disk()));
        table.bind(RemoteProcedure.DOMAIN_BLOCK_STATS_FLAGS,
            in -> new DiskArgs(Types.readDomain(in), Types.readString(in), in.readInt(), in.readInt()),
            (XdrWriter out, Counted c) -> c.write(out), (call, args) -> {
                if (args.nparams() > BLOCK_STATS_PARAMETERS_MAX) {
                    throw VirtErrors.internal(ErrorDomain.RPC, "nparams too large");
                }
                List<TypedParameter> params = call.connection().blockStats(args.domain(), args.disk());
                return new Counted(args.nparams() == 0 ? params
                    : params.subList(0, Math.min(args.nparams(), params.size())), args.nparams() == 0);
            });
        table.bind(RemoteProcedure.DOMAIN_GET_BLOCK_INFO,
            in -> new DiskArgs(Types.readDomain(in), Types.readString(in), 0, in.readInt()),
            (XdrWriter out, BlockInfo info) -> out.writeHyper(info.allocation()).writeHyper(info.capacity())
                .writeHyper(info.physical()),
            (call, args) -> call.connection().blockInfo(args.domain(), args.disk(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_GET_VCPUS,
            in -> new MapArgs(Types.readDomain(in), in.readInt(), in.readInt(), 0),
            DomainStatsProcedures::writeVcpus, (call, args) -> {
                int maxinfo = args.count();
                int maplen = args.maplen();
                if (maxinfo > Protocol.VCPUINFO_MAX) {
                    throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, "maxinfo > REMOTE_VCPUINFO_MAX");
                }
                if ((long) maxinfo * maplen > Protocol.CPUMAPS_MAX) {
                    throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, "maxinfo * maplen > REMOTE_CPUMAPS_MAX");
                }
                List<VcpuInfo> vcpus = call.connection().vcpuInfo(args.domain());
                return new Vcpus(vcpus.subList(0, Math.min(Math.max(maxinfo, 0), vcpus.size())), maxinfo, maplen);
            });
        table.bind(RemoteProcedure.DOMAIN_GET_VCPU_PIN_INFO,
            in -> new MapArgs(Types.readDomain(in), in.readInt(), in.readInt(), in.readInt()),
            (XdrWriter out, PinInfo p) -> out.writeOpaque(p.maps()).writeInt(p.count()), (call, args) -> {
                int ncpumaps = args.count();
                int maplen = args.maplen();
                int flags = args.flags();
                if ((long) ncpumaps * maplen > Protocol.CPUMAPS_MAX) {
                    throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, "maxinfo * maplen > REMOTE_CPUMAPS_MAX");
                }
                return PinInfo.of(call.connection().vcpuPinInfo(args.domain(), flags), ncpumaps, maplen);
            });
        table.bind(RemoteProcedure.DOMAIN_INTERFACE_STATS,
            in -> new DeviceArgs(Types.readDomain(in), Types.readString(in)),
            DomainStatsProcedures::writeInterfaceStats,
            (call, args) -> call.connection().interfaceStats(args.domain(), args.device()));
        table.bind(RemoteProcedure.DOMAIN_MEMORY_STATS,
            in -> new DomainCountFlags(Types.readDomain(in), in.readUnsignedInt(), in.readInt()),
            (XdrWriter out, List<MemoryStat> stats) -> out.writeArray(stats,
                (w, s) -> w.writeInt(s.tag()).writeHyper(s.value())), (call, args) -> {
                if (args.max() > MEMORY_STATS_MAX) {
                    throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, "maxStats > REMOTE_DOMAIN_MEMORY_STATS_MAX");
                }
                return call.connection().memoryStats(args.domain(), (int) args.max(), args.flags());
            });
        table.bind(RemoteProcedure.DOMAIN_INTERFACE_ADDRESSES,
            in -> new DomainCountFlags(Types.readDomain(in), in.readUnsignedInt(), in.readInt()),
            DomainStatsProcedures::writeInterfaces,
            (call, args) -> call.connection().interfaceAddresses(args.domain(), (int) args.max(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_SET_MEMORY_STATS_PERIOD,
            in -> new MapArgs(Types.readDomain(in), in.readInt(), 0, in.readInt()), ProcedureTable.NO_RET,
            (call, args) -> {
                call.connection().setMemoryStatsPeriod(args.domain(), args.count(), args.flags());
                return null;
            });
        table.bind(RemoteProcedure.CONNECT_GET_ALL_DOMAIN_STATS, DomainStatsProcedures::readAllArgs,
            DomainStatsProcedures::writeRecords,
            (call, args) -> call.connection().allDomainStats(args.domains(), args.stats(), args.flags()));
    }

    /** remote_connect_get_all_domain_stats_args { remote_nonnull_domain doms<>; unsigned int stats; unsigned int flags; }. */
    private static AllArgs readAllArgs(XdrReader in) {
        List<DomainRef> domains = in.readArray(Protocol.LIST_MAX, 24, Types::readDomain);
        return new AllArgs(domains, in.readInt(), in.readInt());
    }

    private static void writeRecords(XdrWriter out, List<DomainStats> records) {
        out.writeArray(records, (w, r) -> {
            Types.writeDomain(w, r.domain());
            TypedParams.writeAll(w, r.params());
        });
    }

    /**
     * remote_domain_interface_addresses_ret { remote_domain_interface ifaces<> }: each { name; remote_string
     * hwaddr; remote_domain_ip_addr addrs<> { int type; remote_nonnull_string addr; unsigned int prefix } }.
     */
    private static void writeInterfaces(XdrWriter out, List<DomainInterface> interfaces) {
        out.writeArray(interfaces, (w, i) -> {
            w.writeString(i.name() == null ? "" : i.name());
            Types.writeOptionalString(w, i.hwaddr());
            w.writeArray(i.addresses(), (a, address) -> a.writeInt(address.type()).writeString(address.address())
                .writeInt(address.prefix()));
        });
    }

    /** The vCPUs a GET_VCPUS call returns, and the caller's sizes for the CPU maps (maxinfo maps of maplen bytes). */
    record Vcpus(List<VcpuInfo> info, int maxinfo, int maplen) {
    }

    /**
     * remote_domain_get_vcpus_ret { remote_vcpu_info info<>; opaque cpumaps<> }: each { unsigned number; int
     * state; unsigned hyper cpu_time; int cpu }, then maxinfo maps of maplen bytes (zero beyond the vCPUs).
     */
    private static void writeVcpus(XdrWriter out, Vcpus v) {
        out.writeArray(v.info(), (w, i) -> w.writeInt(i.number()).writeInt(i.state()).writeHyper(i.cpuTimeNanos())
            .writeInt(i.cpu()));
        out.writeOpaque(cpuMaps(v.info().stream().map(VcpuInfo::affinity).toList(), v.maxinfo(), v.maplen()));
    }

    /** remote_domain_get_vcpu_pin_info_ret { opaque cpumaps<>; int num }. */
    record PinInfo(byte[] maps, int count) {
        static PinInfo of(List<java.util.BitSet> pins, int ncpumaps, int maplen) {
            int count = Math.min(Math.max(ncpumaps, 0), pins.size());
            return new PinInfo(cpuMaps(pins.subList(0, count), ncpumaps, maplen), count);
        }
    }

    /**
     * {@code slots} CPU maps of {@code maplen} bytes each as libvirt lays them out (CPU n is bit n % 8 of byte
     * n / 8), the given ones first, zeros in the slots after them.
     */
    static byte[] cpuMaps(List<java.util.BitSet> maps, int slots, int maplen) {
        byte[] bytes = new byte[Math.max(slots, 0) * Math.max(maplen, 0)];
        for (int n = 0; n < maps.size() && n < slots; n++) {
            byte[] map = maps.get(n).toByteArray();
            System.arraycopy(map, 0, bytes, n * maplen, Math.min(map.length, maplen));
        }
        return bytes;
    }

    /** remote_domain_block_stats_ret { hyper rd_req, rd_bytes, wr_req, wr_bytes, errs }: -1 for what is unknown. */
    private static void writeBlockStats(XdrWriter out, List<TypedParameter> params) {
        for (String field : new String[] {"rd_operations", "rd_bytes", "wr_operations", "wr_bytes", "errs"}) {
            out.writeHyper(params.stream().filter(p -> p.field().equals(field))
                .mapToLong(p -> ((Number) p.value()).longValue()).findFirst().orElse(-1));
        }
    }

    private static void writeInterfaceStats(XdrWriter out, InterfaceStats s) {
        out.writeHyper(s.rxBytes()).writeHyper(s.rxPackets()).writeHyper(s.rxErrs()).writeHyper(s.rxDrop())
            .writeHyper(s.txBytes()).writeHyper(s.txPackets()).writeHyper(s.txErrs()).writeHyper(s.txDrop());
    }
}
