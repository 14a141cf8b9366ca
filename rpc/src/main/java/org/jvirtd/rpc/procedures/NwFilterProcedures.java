package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_ARGS;
import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_RET;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.nwfilter.NwFilterBindingRef;
import org.jvirtd.api.nwfilter.NwFilterRef;
import org.jvirtd.api.nwfilter.NwFilters;
import org.jvirtd.rpc.dispatch.Call;
import org.jvirtd.rpc.dispatch.ConnectionScope;
import org.jvirtd.rpc.dispatch.Handler;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The network filter and filter binding procedures, served by the NwFilters service when the nwfilter bundle is
 * there; without it they answer "not supported", as libvirtd without an nwfilter driver does. Read-only
 * connections are refused define, undefine, binding create and delete by the procedure table.
 */
public final class NwFilterProcedures {
    private final Supplier<NwFilters> service;

    public NwFilterProcedures(Supplier<NwFilters> service) {
        this.service = service;
    }

    /** remote_nonnull_nwfilter { name; uuid }. */
    static NwFilterRef readFilter(XdrReader in) {
        return new NwFilterRef(Types.readString(in), in.readUuid());
    }

    static void writeFilter(XdrWriter out, NwFilterRef filter) {
        out.writeString(filter.name()).writeUuid(filter.uuid());
    }

    /** remote_nonnull_nwfilter_binding { portdev; filtername }. */
    static NwFilterBindingRef readBinding(XdrReader in) {
        return new NwFilterBindingRef(Types.readString(in), Types.readString(in));
    }

    static void writeBinding(XdrWriter out, NwFilterBindingRef binding) {
        out.writeString(binding.portDev()).writeString(binding.filterName());
    }

    record FilterFlags(NwFilterRef filter, int flags) {
        static FilterFlags read(XdrReader in) {
            return new FilterFlags(readFilter(in), in.readInt());
        }
    }

    record BindingFlags(NwFilterBindingRef binding, int flags) {
        static BindingFlags read(XdrReader in) {
            return new BindingFlags(readBinding(in), in.readInt());
        }
    }

    record XmlFlags(String xml, int flags) {
        static XmlFlags read(XdrReader in) {
            return new XmlFlags(Types.readString(in), in.readInt());
        }
    }

    record ListResult<T>(List<T> items, int count) {
    }

    private <A, R> void bind(ProcedureTable table, RemoteProcedure procedure, Function<XdrReader, A> args,
                             BiConsumer<XdrWriter, R> ret, Handler<A, R> handler) {
        table.bind(procedure, args, ret, ConnectionScope.SECONDARY, handler);
    }

    private NwFilters filters(Call call) {
        NwFilters filters = service.get();
        if (filters == null) {
            throw VirtErrors.noSupport(RemoteProcedure.byNumber(call.header().procedure()).api());
        }
        return filters;
    }

    private static <T> List<T> bounded(List<T> all, String what) {
        if (all.size() > Protocol.LIST_MAX) {
            throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC,
                "Too many " + what + " '" + all.size() + "' for limit '" + Protocol.LIST_MAX + "'");
        }
        return all;
    }

    public void bindTo(ProcedureTable table) {
        bind(table, RemoteProcedure.CONNECT_NUM_OF_NWFILTERS, NO_ARGS, Types::writeInt,
            (call, args) -> filters(call).listAll(0).size());
        bind(table, RemoteProcedure.CONNECT_LIST_NWFILTERS, in -> in.readInt(),
            (XdrWriter out, List<String> names) -> out.writeArray(names, XdrWriter::writeString),
            (call, max) -> {
                if (max < 0 || max > Protocol.LIST_MAX) {
                    throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, "maxnames > REMOTE_NWFILTER_LIST_MAX");
                }
                return filters(call).listAll(0).stream().limit(max).map(NwFilterRef::name).toList();
            });
        bind(table, RemoteProcedure.CONNECT_LIST_ALL_NWFILTERS, in -> new int[] {in.readInt(), in.readInt()},
            (XdrWriter out, ListResult<NwFilterRef> result) -> {
                out.writeArray(result.items(), NwFilterProcedures::writeFilter);
                out.writeInt(result.count());
            }, (call, args) -> {
                List<NwFilterRef> all = bounded(filters(call).listAll(args[1]), "nwfilters");
                return new ListResult<>(args[0] != 0 ? all : List.of(), all.size());
            });
        bind(table, RemoteProcedure.NWFILTER_LOOKUP_BY_NAME, Types::readString, NwFilterProcedures::writeFilter,
            (call, name) -> filters(call).lookupByName(name));
        bind(table, RemoteProcedure.NWFILTER_LOOKUP_BY_UUID, XdrReader::readUuid, NwFilterProcedures::writeFilter,
            (call, uuid) -> filters(call).lookupByUuid(uuid));
        bind(table, RemoteProcedure.NWFILTER_DEFINE_XML, Types::readString, NwFilterProcedures::writeFilter,
            (call, xml) -> filters(call).define(xml, 0));
        bind(table, RemoteProcedure.NWFILTER_DEFINE_XML_FLAGS, XmlFlags::read, NwFilterProcedures::writeFilter,
            (call, args) -> filters(call).define(args.xml(), args.flags()));
        bind(table, RemoteProcedure.NWFILTER_UNDEFINE, NwFilterProcedures::readFilter, NO_RET, (call, filter) -> {
            filters(call).undefine(filter);
            return null;
        });
        bind(table, RemoteProcedure.NWFILTER_GET_XML_DESC, FilterFlags::read, XdrWriter::writeString,
            (call, args) -> filters(call).xml(args.filter(), args.flags()));
        bind(table, RemoteProcedure.CONNECT_LIST_ALL_NWFILTER_BINDINGS, in -> new int[] {in.readInt(), in.readInt()},
            (XdrWriter out, ListResult<NwFilterBindingRef> result) -> {
                out.writeArray(result.items(), NwFilterProcedures::writeBinding);
                out.writeInt(result.count());
            }, (call, args) -> {
                List<NwFilterBindingRef> all = bounded(filters(call).listAllBindings(args[1]), "nwfilter bindings");
                return new ListResult<>(args[0] != 0 ? all : List.of(), all.size());
            });
        bind(table, RemoteProcedure.NWFILTER_BINDING_LOOKUP_BY_PORT_DEV, Types::readString,
            NwFilterProcedures::writeBinding, (call, portDev) -> filters(call).lookupBinding(portDev));
        bind(table, RemoteProcedure.NWFILTER_BINDING_CREATE_XML, XmlFlags::read, NwFilterProcedures::writeBinding,
            (call, args) -> filters(call).createBinding(args.xml(), args.flags()));
        bind(table, RemoteProcedure.NWFILTER_BINDING_DELETE, NwFilterProcedures::readBinding, NO_RET,
            (call, binding) -> {
                filters(call).deleteBinding(binding);
                return null;
            });
        bind(table, RemoteProcedure.NWFILTER_BINDING_GET_XML_DESC, BindingFlags::read, XdrWriter::writeString,
            (call, args) -> filters(call).bindingXml(args.binding(), args.flags()));
    }
}
