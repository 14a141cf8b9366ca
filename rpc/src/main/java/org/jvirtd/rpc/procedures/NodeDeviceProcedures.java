package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_RET;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.NodeDevices;
import org.jvirtd.api.nodedev.NodeDeviceEvent;
import org.jvirtd.rpc.dispatch.Call;
import org.jvirtd.rpc.dispatch.ConnectionScope;
import org.jvirtd.rpc.dispatch.Handler;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The node device procedures (listing, XML, events, and PCI detach/re-attach/reset), served by the NodeDevices
 * service when the nodedev bundle is there; without it they answer "not supported", as libvirtd without a node
 * device driver does. Devices travel as remote_nonnull_node_device, their name only.
 */
public final class NodeDeviceProcedures {
    /** REMOTE_NODE_DEVICE_LIST_MAX, also REMOTE_NODE_DEVICE_CAPS_LIST_MAX. */
    static final int NODE_DEVICE_LIST_MAX = 65536;
    private static final BiConsumer<XdrWriter, List<String>> NAMES =
        (out, names) -> out.writeArray(names, XdrWriter::writeString);
    private static final BiConsumer<XdrWriter, Boolean> FLAG = (out, value) -> out.writeInt(value ? 1 : 0);

    private final Supplier<NodeDevices> service;
    private final AtomicInteger callbackIds;

    /** @param callbackIds the event callback ids, shared with the other objects' events as libvirtd does */
    public NodeDeviceProcedures(Supplier<NodeDevices> service, AtomicInteger callbackIds) {
        this.service = service;
        this.callbackIds = callbackIds;
    }

    /** remote_connect_node_device_event_register_any_args { int eventID; remote_node_device dev }. */
    record EventRegister(int eventId, String device) {
        static EventRegister read(XdrReader in) {
            return new EventRegister(in.readInt(), in.readOptional(Types::readString));
        }
    }

    /** remote_node_num_of_devices_args { remote_string cap; unsigned flags }. */
    record CapFlags(String cap, int flags) {
        static CapFlags read(XdrReader in) {
            return new CapFlags(Types.readOptionalString(in), in.readInt());
        }
    }

    /** remote_node_list_devices_args { remote_string cap; int maxnames; unsigned flags }. */
    record ListArgs(String cap, int maxNames, int flags) {
        static ListArgs read(XdrReader in) {
            return new ListArgs(Types.readOptionalString(in), in.readInt(), in.readInt());
        }
    }

    record NameFlags(String name, int flags) {
        static NameFlags read(XdrReader in) {
            return new NameFlags(Types.readString(in), in.readInt());
        }
    }

    record ListResult(List<String> names, int count) {
    }

    private <A, R> void bind(ProcedureTable table, RemoteProcedure procedure, Function<XdrReader, A> args,
                             BiConsumer<XdrWriter, R> ret, Handler<A, R> handler) {
        table.bind(procedure, args, ret, ConnectionScope.SECONDARY, handler);
    }

    private NodeDevices devices(Call call) {
        NodeDevices devices = service.get();
        if (devices == null) {
            throw VirtErrors.noSupport(RemoteProcedure.byNumber(call.header().procedure()).api());
        }
        return devices;
    }

    private static void checkMax(int max, String limit) {
        if (max < 0 || max > NODE_DEVICE_LIST_MAX) {
            throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, "maxnames > " + limit);
        }
    }

    public void bindTo(ProcedureTable table) {
        bind(table, RemoteProcedure.NODE_NUM_OF_DEVICES, CapFlags::read, Types::writeInt,
            (call, args) -> devices(call).list(args.cap(), args.flags()).size());
        bind(table, RemoteProcedure.NODE_LIST_DEVICES, ListArgs::read, NAMES, (call, args) -> {
            checkMax(args.maxNames(), "REMOTE_NODE_DEVICE_LIST_MAX");
            return devices(call).list(args.cap(), args.flags()).stream().limit(args.maxNames()).toList();
        });
        bind(table, RemoteProcedure.CONNECT_LIST_ALL_NODE_DEVICES, in -> new int[] {in.readInt(), in.readInt()},
            (XdrWriter out, ListResult result) -> {
                out.writeArray(result.names(), XdrWriter::writeString);
                out.writeInt(result.count());
            }, (call, args) -> {
                List<String> all = devices(call).listAll(args[1]);
                if (all.size() > NODE_DEVICE_LIST_MAX) {
                    throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC,
                        "Too many node devices '" + all.size() + "' for limit '" + NODE_DEVICE_LIST_MAX + "'");
                }
                return new ListResult(args[0] != 0 ? all : List.of(), all.size());
            });
        bind(table, RemoteProcedure.NODE_DEVICE_LOOKUP_BY_NAME, Types::readString, XdrWriter::writeString,
            (call, name) -> devices(call).lookupByName(name));
        bind(table, RemoteProcedure.NODE_DEVICE_GET_XML_DESC, NameFlags::read, XdrWriter::writeString,
            (call, args) -> devices(call).xml(args.name(), args.flags()));
        bind(table, RemoteProcedure.NODE_DEVICE_GET_PARENT, Types::readString, Types::writeOptionalString,
            (call, name) -> devices(call).parent(name));
        bind(table, RemoteProcedure.NODE_DEVICE_NUM_OF_CAPS, Types::readString, Types::writeInt,
            (call, name) -> devices(call).capabilities(name).size());
        bind(table, RemoteProcedure.NODE_DEVICE_LIST_CAPS, in -> new Object[] {Types.readString(in), in.readInt()},
            NAMES, (call, args) -> {
                int max = (Integer) args[1];
                checkMax(max, "REMOTE_NODE_DEVICE_CAPS_LIST_MAX");
                return devices(call).capabilities((String) args[0]).stream().limit(max).toList();
            });
        bind(table, RemoteProcedure.NODE_DEVICE_IS_ACTIVE, Types::readString, FLAG,
            (call, name) -> devices(call).isActive(name));
        bind(table, RemoteProcedure.NODE_DEVICE_IS_PERSISTENT, Types::readString, FLAG,
            (call, name) -> devices(call).isPersistent(name));
        bind(table, RemoteProcedure.NODE_DEVICE_GET_AUTOSTART, Types::readString, FLAG,
            (call, name) -> devices(call).autostart(name));
        bindAssignment(table);
        bind(table, RemoteProcedure.CONNECT_NODE_DEVICE_EVENT_REGISTER_ANY, EventRegister::read, Types::writeInt,
            this::registerEvents);
        bind(table, RemoteProcedure.CONNECT_NODE_DEVICE_EVENT_DEREGISTER_ANY, XdrReader::readInt, NO_RET,
            (call, callbackId) -> {
                if (!call.client().nodeDeviceEvents().remove(callbackId)) {
                    throw VirtErrors.internal(ErrorDomain.RPC, "node device event callback " + callbackId
                        + " not registered");
                }
                return null;
            });
    }

    private Integer registerEvents(Call call, EventRegister args) {
        NodeDevices devices = devices(call);
        String filter = args.device() == null ? null : devices.lookupByName(args.device());
        if (args.eventId() < 0 || args.eventId() >= NodeDeviceEvent.EVENT_ID_LAST) {
            throw VirtErrors.internal(ErrorDomain.RPC, "unsupported node device event ID " + args.eventId());
        }
        int callbackId = callbackIds.getAndIncrement();
        call.client().nodeDeviceEvents().add(listener -> devices.subscribe(listener::accept), callbackId,
            args.eventId(), filter);
        return callbackId;
    }

    /** remote_node_device_detach_flags_args { remote_nonnull_string name; remote_string driverName; unsigned flags }. */
    record DetachArgs(String name, String driverName, int flags) {
        static DetachArgs read(XdrReader in) {
            return new DetachArgs(Types.readString(in), Types.readOptionalString(in), in.readInt());
        }
    }

    /** Detach, re-attach and reset of PCI devices; no return value. */
    private void bindAssignment(ProcedureTable table) {
        bind(table, RemoteProcedure.NODE_DEVICE_DETTACH, Types::readString, ProcedureTable.NO_RET, (call, name) -> {
            devices(call).detach(name, null, 0);
            return null;
        });
        bind(table, RemoteProcedure.NODE_DEVICE_DETACH_FLAGS, DetachArgs::read, ProcedureTable.NO_RET,
            (call, args) -> {
                devices(call).detach(args.name(), args.driverName(), args.flags());
                return null;
            });
        bind(table, RemoteProcedure.NODE_DEVICE_RE_ATTACH, Types::readString, ProcedureTable.NO_RET, (call, name) -> {
            devices(call).reattach(name);
            return null;
        });
        bind(table, RemoteProcedure.NODE_DEVICE_RESET, Types::readString, ProcedureTable.NO_RET, (call, name) -> {
            devices(call).reset(name);
            return null;
        });
    }
}
