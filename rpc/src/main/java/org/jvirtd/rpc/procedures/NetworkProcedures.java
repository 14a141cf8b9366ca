package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_ARGS;
import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_RET;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Networks;
import org.jvirtd.api.network.DhcpLease;
import org.jvirtd.api.network.NetworkPortRef;
import org.jvirtd.api.network.NetworkRef;
import org.jvirtd.rpc.dispatch.Call;
import org.jvirtd.rpc.dispatch.ConnectionScope;
import org.jvirtd.rpc.dispatch.Handler;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.TypedParams;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The virtual network procedures, served by the Networks service when a network bundle is there;
 * without one they answer "not supported", as libvirtd without a network driver does.
 */
public final class NetworkProcedures {
    /** VIR_NETWORK_EVENT_ID_LAST in libvirt 9.0. */
    static final int NETWORK_EVENT_ID_LAST = 1;
    /** REMOTE_NETWORK_PORT_PARAMETERS_MAX. */
    private static final int PORT_PARAMETERS_MAX = 16;
    private static final BiConsumer<XdrWriter, NetworkRef> NETWORK = Types::writeNetwork;

    private final Supplier<Networks> service;
    private final AtomicInteger callbackIds;

    public NetworkProcedures(Supplier<Networks> service, AtomicInteger callbackIds) {
        this.service = service;
        this.callbackIds = callbackIds;
    }

    record NetFlags(NetworkRef net, int flags) {
        static NetFlags read(XdrReader in) {
            return new NetFlags(Types.readNetwork(in), in.readInt());
        }
    }

    record XmlFlags(String xml, int flags) {
        static XmlFlags read(XdrReader in) {
            return new XmlFlags(Types.readString(in), in.readInt());
        }
    }

    record Leases(NetworkRef net, String mac, boolean needResults, int flags) {
        static Leases read(XdrReader in) {
            return new Leases(Types.readNetwork(in), Types.readOptionalString(in), in.readInt() != 0, in.readInt());
        }
    }

    record Update(NetworkRef net, int command, int section, int parentIndex, String xml, int flags) {
        static Update read(XdrReader in) {
            return new Update(Types.readNetwork(in), in.readInt(), in.readInt(), in.readInt(), Types.readString(in),
                in.readInt());
        }
    }

    record NetXmlFlags(NetworkRef net, String xml, int flags) {
        static NetXmlFlags read(XdrReader in) {
            return new NetXmlFlags(Types.readNetwork(in), Types.readString(in), in.readInt());
        }
    }

    record PortFlags(NetworkPortRef port, int flags) {
        static PortFlags read(XdrReader in) {
            return new PortFlags(Types.readNetworkPort(in), in.readInt());
        }
    }

    record PortParams(NetworkPortRef port, List<TypedParameter> params, int nparams, int flags) {
    }

    record ListPorts(NetworkRef net, boolean needResults, int flags) {
        static ListPorts read(XdrReader in) {
            return new ListPorts(Types.readNetwork(in), in.readInt() != 0, in.readInt());
        }
    }

    record EventRegister(int eventId, NetworkRef net) {
        static EventRegister read(XdrReader in) {
            return new EventRegister(in.readInt(), in.readOptional(Types::readNetwork));
        }
    }

    record ListResult<T>(List<T> items, int count) {
    }

    private <A, R> void bind(ProcedureTable table, RemoteProcedure procedure, java.util.function.Function<XdrReader, A> args,
                             BiConsumer<XdrWriter, R> ret, Handler<A, R> handler) {
        table.bind(procedure, args, ret, ConnectionScope.SECONDARY, handler);
    }

    /** The Networks service, or "not supported" for the API the call serves. */
    private Networks networks(Call call) {
        Networks networks = service.get();
        if (networks == null) {
            throw VirtErrors.noSupport(RemoteProcedure.byNumber(call.header().procedure()).api());
        }
        return networks;
    }

    public void bindTo(ProcedureTable table) {
        bind(table, RemoteProcedure.CONNECT_LIST_ALL_NETWORKS, in -> new int[] {in.readInt(), in.readInt()},
            (XdrWriter out, ListResult<NetworkRef> result) -> {
                out.writeArray(result.items(), Types::writeNetwork);
                out.writeInt(result.count());
            }, (call, args) -> {
                List<NetworkRef> all = networks(call).listAll(args[1]);
                checkList(all.size());
                return new ListResult<>(args[0] != 0 ? all : List.of(), all.size());
            });
        bind(table, RemoteProcedure.CONNECT_NUM_OF_NETWORKS, NO_ARGS, Types::writeInt,
            (call, args) -> active(call, true).size());
        bind(table, RemoteProcedure.CONNECT_NUM_OF_DEFINED_NETWORKS, NO_ARGS, Types::writeInt,
            (call, args) -> active(call, false).size());
        bind(table, RemoteProcedure.CONNECT_LIST_NETWORKS, in -> in.readInt(), NetworkProcedures::writeNames,
            (call, max) -> names(active(call, true), max));
        bind(table, RemoteProcedure.CONNECT_LIST_DEFINED_NETWORKS, in -> in.readInt(), NetworkProcedures::writeNames,
            (call, max) -> names(active(call, false), max));
        bind(table, RemoteProcedure.NETWORK_LOOKUP_BY_NAME, Types::readString, NETWORK,
            (call, name) -> networks(call).lookupByName(name));
        bind(table, RemoteProcedure.NETWORK_LOOKUP_BY_UUID, XdrReader::readUuid, NETWORK,
            (call, uuid) -> networks(call).lookupByUuid(uuid));
        bind(table, RemoteProcedure.NETWORK_DEFINE_XML, Types::readString, NETWORK,
            (call, xml) -> networks(call).define(xml, 0));
        bind(table, RemoteProcedure.NETWORK_DEFINE_XML_FLAGS, XmlFlags::read, NETWORK,
            (call, args) -> networks(call).define(args.xml(), args.flags()));
        bind(table, RemoteProcedure.NETWORK_CREATE_XML, Types::readString, NETWORK,
            (call, xml) -> networks(call).createXml(xml, 0));
        bind(table, RemoteProcedure.NETWORK_CREATE_XML_FLAGS, XmlFlags::read, NETWORK,
            (call, args) -> networks(call).createXml(args.xml(), args.flags()));
        bind(table, RemoteProcedure.NETWORK_UNDEFINE, Types::readNetwork, NO_RET,
            (call, net) -> run(() -> networks(call).undefine(net)));
        bind(table, RemoteProcedure.NETWORK_CREATE, Types::readNetwork, NO_RET,
            (call, net) -> run(() -> networks(call).create(net)));
        bind(table, RemoteProcedure.NETWORK_DESTROY, Types::readNetwork, NO_RET,
            (call, net) -> run(() -> networks(call).destroy(net)));
        bind(table, RemoteProcedure.NETWORK_GET_XML_DESC, NetFlags::read, XdrWriter::writeString,
            (call, args) -> networks(call).xml(args.net(), args.flags()));
        bind(table, RemoteProcedure.NETWORK_GET_BRIDGE_NAME, Types::readNetwork, XdrWriter::writeString,
            (call, net) -> networks(call).bridgeName(net));
        bind(table, RemoteProcedure.NETWORK_GET_AUTOSTART, Types::readNetwork, Types::writeBool,
            (call, net) -> networks(call).autostart(net));
        bind(table, RemoteProcedure.NETWORK_SET_AUTOSTART, in -> new NetFlags(Types.readNetwork(in), in.readInt()),
            NO_RET, (call, args) -> run(() -> networks(call).setAutostart(args.net(), args.flags() != 0)));
        bind(table, RemoteProcedure.NETWORK_IS_ACTIVE, Types::readNetwork, Types::writeBool,
            (call, net) -> networks(call).isActive(net));
        bind(table, RemoteProcedure.NETWORK_IS_PERSISTENT, Types::readNetwork, Types::writeBool,
            (call, net) -> networks(call).isPersistent(net));
        bind(table, RemoteProcedure.NETWORK_UPDATE, Update::read, NO_RET, (call, args) -> run(() -> networks(call)
            .update(args.net(), args.command(), args.section(), args.parentIndex(), args.xml(), args.flags())));
        bind(table, RemoteProcedure.NETWORK_GET_DHCP_LEASES, Leases::read, NetworkProcedures::writeLeases,
            (call, args) -> {
                List<DhcpLease> leases = networks(call).leases(args.net(), args.mac(), args.flags());
                if (leases.size() > Protocol.NETWORK_DHCP_LEASES_MAX) {
                    throw VirtErrors.internal(ErrorDomain.RPC, "Number of leases is " + leases.size()
                        + ", which exceeds max limit: " + Protocol.NETWORK_DHCP_LEASES_MAX);
                }
                return new ListResult<>(args.needResults() ? leases : List.of(), leases.size());
            });
        bindPorts(table);
        bind(table, RemoteProcedure.CONNECT_NETWORK_EVENT_REGISTER_ANY, EventRegister::read, Types::writeInt,
            this::registerEvents);
        bind(table, RemoteProcedure.CONNECT_NETWORK_EVENT_DEREGISTER_ANY, in -> in.readInt(), NO_RET,
            (call, callbackId) -> {
                if (!call.client().networkEvents().remove(callbackId)) {
                    throw VirtErrors.internal(ErrorDomain.RPC, "network event callback " + callbackId
                        + " not registered");
                }
                return null;
            });
    }

    private void bindPorts(ProcedureTable table) {
        bind(table, RemoteProcedure.NETWORK_PORT_CREATE_XML, NetXmlFlags::read, Types::writeNetworkPort,
            (call, args) -> networks(call).createPort(args.net(), args.xml(), args.flags()));
        bind(table, RemoteProcedure.NETWORK_PORT_LOOKUP_BY_UUID,
            in -> new NetworkPortRef(Types.readNetwork(in), in.readUuid()), Types::writeNetworkPort,
            (call, port) -> networks(call).lookupPort(port.network(), port.uuid()));
        bind(table, RemoteProcedure.NETWORK_PORT_GET_XML_DESC, PortFlags::read, XdrWriter::writeString,
            (call, args) -> networks(call).portXml(args.port(), args.flags()));
        bind(table, RemoteProcedure.NETWORK_PORT_DELETE, PortFlags::read, NO_RET,
            (call, args) -> run(() -> networks(call).deletePort(args.port(), args.flags())));
        // remote_network_port_get_parameters_args { port; int nparams; flags } (nparams unused, as in libvirtd),
        // ret { params<16>; int nparams }
        bind(table, RemoteProcedure.NETWORK_PORT_GET_PARAMETERS,
            in -> new PortParams(Types.readNetworkPort(in), List.of(), in.readInt(), in.readInt()),
            (XdrWriter out, List<TypedParameter> params) -> {
                TypedParams.writeAll(out, params);
                out.writeInt(params.size());
            }, (call, args) -> networks(call).portParameters(args.port(), args.flags()));
        // remote_network_port_set_parameters_args { port; remote_typed_param params<16>; flags }
        bind(table, RemoteProcedure.NETWORK_PORT_SET_PARAMETERS,
            in -> new PortParams(Types.readNetworkPort(in), TypedParams.readAll(in, PORT_PARAMETERS_MAX), 0,
                in.readInt()), NO_RET,
            (call, args) -> run(() -> networks(call).setPortParameters(args.port(), args.params(), args.flags())));
        bind(table, RemoteProcedure.NETWORK_LIST_ALL_PORTS, ListPorts::read,
            (XdrWriter out, ListResult<NetworkPortRef> result) -> {
                out.writeArray(result.items(), Types::writeNetworkPort);
                out.writeInt(result.count());
            }, (call, args) -> {
                List<NetworkPortRef> all = networks(call).listPorts(args.net(), args.flags());
                if (all.size() > Protocol.NETWORK_PORT_LIST_MAX) {
                    throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, "Too many network ports '"
                        + all.size() + "' for limit '" + Protocol.NETWORK_PORT_LIST_MAX + "'");
                }
                return new ListResult<>(args.needResults() ? all : List.of(), all.size());
            });
    }

    private Integer registerEvents(Call call, EventRegister args) {
        Networks networks = networks(call);
        UUID filter = args.net() == null ? null : networks.lookupByUuid(args.net().uuid()).uuid();
        if (args.eventId() < 0 || args.eventId() >= NETWORK_EVENT_ID_LAST) {
            throw VirtErrors.internal(ErrorDomain.RPC, "unsupported network event ID " + args.eventId());
        }
        int callbackId = callbackIds.getAndIncrement();
        call.client().networkEvents().add(networks, callbackId, filter);
        return callbackId;
    }

    private List<NetworkRef> active(Call call, boolean active) {
        Networks networks = networks(call);
        return networks.listAll(0).stream().filter(net -> networks.isActive(net) == active).toList();
    }

    private static List<String> names(List<NetworkRef> networks, int max) {
        if (max < 0 || max > Protocol.LIST_MAX) {
            throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, "maxnames > REMOTE_NETWORK_LIST_MAX");
        }
        return networks.stream().limit(max).map(NetworkRef::name).toList();
    }

    private static void writeNames(XdrWriter out, List<String> names) {
        out.writeArray(names, XdrWriter::writeString);
    }

    /**
     * remote_network_dhcp_lease { iface; hyper expirytime; int type; remote_string mac, iaid;
     * remote_nonnull_string ipaddr; unsigned prefix; remote_string hostname, clientid }, then ret.
     */
    private static void writeLeases(XdrWriter out, ListResult<DhcpLease> result) {
        out.writeArray(result.items(), (w, lease) -> {
            w.writeString(lease.iface()).writeHyper(lease.expiryTime()).writeInt(lease.type());
            Types.writeOptionalString(w, lease.mac());
            Types.writeOptionalString(w, lease.iaid());
            w.writeString(lease.ipAddress()).writeInt(lease.prefix());
            Types.writeOptionalString(w, lease.hostname());
            Types.writeOptionalString(w, lease.clientId());
        });
        out.writeInt(result.count());
    }

    private static void checkList(int size) {
        if (size > Protocol.LIST_MAX) {
            throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC,
                "Too many networks '" + size + "' for limit '" + Protocol.LIST_MAX + "'");
        }
    }

    private static Void run(Runnable action) {
        action.run();
        return null;
    }
}
