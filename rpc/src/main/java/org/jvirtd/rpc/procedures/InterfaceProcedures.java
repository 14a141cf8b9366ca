package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_ARGS;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.HostInterfaces;
import org.jvirtd.api.iface.InterfaceRef;
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
 * The read-only host interface procedures, served by the HostInterfaces service when the interface bundle is
 * there. Define, undefine, create, destroy and the change transactions stay unbound and so answer "not
 * supported", as libvirt's udev interface backend does.
 */
public final class InterfaceProcedures {
    private static final BiConsumer<XdrWriter, InterfaceRef> IFACE = InterfaceProcedures::writeInterface;

    private final Supplier<HostInterfaces> service;

    public InterfaceProcedures(Supplier<HostInterfaces> service) {
        this.service = service;
    }

    /** remote_nonnull_interface { name; mac }. */
    static InterfaceRef readInterface(XdrReader in) {
        return new InterfaceRef(Types.readString(in), Types.readString(in));
    }

    static void writeInterface(XdrWriter out, InterfaceRef iface) {
        out.writeString(iface.name()).writeString(iface.mac());
    }

    record IfaceFlags(InterfaceRef iface, int flags) {
        static IfaceFlags read(XdrReader in) {
            return new IfaceFlags(readInterface(in), in.readInt());
        }
    }

    record ListResult(List<InterfaceRef> items, int count) {
    }

    private <A, R> void bind(ProcedureTable table, RemoteProcedure procedure, Function<XdrReader, A> args,
                             BiConsumer<XdrWriter, R> ret, Handler<A, R> handler) {
        table.bind(procedure, args, ret, ConnectionScope.SECONDARY, handler);
    }

    private HostInterfaces interfaces(Call call) {
        HostInterfaces interfaces = service.get();
        if (interfaces == null) {
            throw VirtErrors.noSupport(RemoteProcedure.byNumber(call.header().procedure()).api());
        }
        return interfaces;
    }

    private List<String> names(Call call, boolean active, int max) {
        if (max < 0 || max > Protocol.LIST_MAX) {
            throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, "maxnames > REMOTE_INTERFACE_LIST_MAX");
        }
        return interfaces(call).listNames(active).stream().limit(max).toList();
    }

    public void bindTo(ProcedureTable table) {
        BiConsumer<XdrWriter, List<String>> names = (out, list) -> out.writeArray(list, XdrWriter::writeString);
        bind(table, RemoteProcedure.CONNECT_NUM_OF_INTERFACES, NO_ARGS, Types::writeInt,
            (call, args) -> interfaces(call).listNames(true).size());
        bind(table, RemoteProcedure.CONNECT_LIST_INTERFACES, in -> in.readInt(), names,
            (call, max) -> names(call, true, max));
        bind(table, RemoteProcedure.CONNECT_NUM_OF_DEFINED_INTERFACES, NO_ARGS, Types::writeInt,
            (call, args) -> interfaces(call).listNames(false).size());
        bind(table, RemoteProcedure.CONNECT_LIST_DEFINED_INTERFACES, in -> in.readInt(), names,
            (call, max) -> names(call, false, max));
        bind(table, RemoteProcedure.CONNECT_LIST_ALL_INTERFACES, in -> new int[] {in.readInt(), in.readInt()},
            (XdrWriter out, ListResult result) -> {
                out.writeArray(result.items(), InterfaceProcedures::writeInterface);
                out.writeInt(result.count());
            }, (call, args) -> {
                List<InterfaceRef> all = interfaces(call).listAll(args[1]);
                if (all.size() > Protocol.LIST_MAX) {
                    throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC,
                        "Too many interfaces '" + all.size() + "' for limit '" + Protocol.LIST_MAX + "'");
                }
                return new ListResult(args[0] != 0 ? all : List.of(), all.size());
            });
        bind(table, RemoteProcedure.INTERFACE_LOOKUP_BY_NAME, Types::readString, IFACE,
            (call, name) -> interfaces(call).lookupByName(name));
        bind(table, RemoteProcedure.INTERFACE_LOOKUP_BY_MAC_STRING, Types::readString, IFACE,
            (call, mac) -> interfaces(call).lookupByMac(mac));
        bind(table, RemoteProcedure.INTERFACE_GET_XML_DESC, IfaceFlags::read, XdrWriter::writeString,
            (call, args) -> interfaces(call).xml(args.iface(), args.flags()));
        bind(table, RemoteProcedure.INTERFACE_IS_ACTIVE, InterfaceProcedures::readInterface, Types::writeInt,
            (call, iface) -> interfaces(call).isActive(iface) ? 1 : 0);
    }
}
