package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_ARGS;
import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_RET;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.StoragePools;
import org.jvirtd.api.storage.PoolInfo;
import org.jvirtd.api.storage.PoolRef;
import org.jvirtd.rpc.dispatch.Call;
import org.jvirtd.rpc.dispatch.ConnectionScope;
import org.jvirtd.rpc.dispatch.Handler;
import org.jvirtd.rpc.dispatch.ClientState;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The storage pool procedures (pool-* commands and pool events), served by the StoragePools service when
 * the storage bundle is there; without it they answer "not supported", as libvirtd without a storage driver.
 */
public final class StoragePoolProcedures {
    private static final BiConsumer<XdrWriter, PoolRef> POOL = Types::writePool;

    private final Supplier<StoragePools> service;
    private final AtomicInteger callbackIds;

    public StoragePoolProcedures(Supplier<StoragePools> service, AtomicInteger callbackIds) {
        this.service = service;
        this.callbackIds = callbackIds;
    }

    record PoolFlags(PoolRef pool, int flags) {
        static PoolFlags read(XdrReader in) {
            return new PoolFlags(Types.readPool(in), in.readInt());
        }
    }

    record XmlFlags(String xml, int flags) {
        static XmlFlags read(XdrReader in) {
            return new XmlFlags(Types.readString(in), in.readInt());
        }
    }

    record EventRegister(int eventId, PoolRef pool) {
        static EventRegister read(XdrReader in) {
            return new EventRegister(in.readInt(), in.readOptional(Types::readPool));
        }
    }

    record ListResult<T>(List<T> items, int count) {
        void write(XdrWriter out, BiConsumer<XdrWriter, T> element) {
            out.writeArray(items, element);
            out.writeInt(count);
        }
    }

    /** The StoragePools service, or "not supported" for the API the call serves. */
    static StoragePools pools(Supplier<StoragePools> service, Call call) {
        StoragePools pools = service.get();
        if (pools == null) {
            throw VirtErrors.noSupport(RemoteProcedure.byNumber(call.header().procedure()).api());
        }
        return pools;
    }

    static <A, R> void bind(ProcedureTable table, RemoteProcedure procedure, Function<XdrReader, A> args,
                            BiConsumer<XdrWriter, R> ret, Handler<A, R> handler) {
        table.bind(procedure, args, ret, ConnectionScope.SECONDARY, handler);
    }

    /** virConnectListStoragePools and friends: at most {@code max} names, bounded like libvirtd's. */
    static List<String> names(List<String> names, int max, String what) {
        if (max < 0 || max > Protocol.LIST_MAX) {
            throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, "maxnames > REMOTE_" + what + "_LIST_MAX");
        }
        return names.stream().limit(max).toList();
    }

    static void writeNames(XdrWriter out, List<String> names) {
        out.writeArray(names, XdrWriter::writeString);
    }

    static void checkList(int size, String what) {
        if (size > Protocol.LIST_MAX) {
            throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC,
                "Too many " + what + " '" + size + "' for limit '" + Protocol.LIST_MAX + "'");
        }
    }

    static Void run(Runnable action) {
        action.run();
        return null;
    }

    private StoragePools pools(Call call) {
        return pools(service, call);
    }

    public void bindTo(ProcedureTable table) {
        bindListing(table);
        bind(table, RemoteProcedure.STORAGE_POOL_LOOKUP_BY_NAME, Types::readString, POOL,
            (call, name) -> pools(call).lookupPoolByName(name));
        bind(table, RemoteProcedure.STORAGE_POOL_LOOKUP_BY_UUID, XdrReader::readUuid, POOL,
            (call, uuid) -> pools(call).lookupPoolByUuid(uuid));
        bind(table, RemoteProcedure.STORAGE_POOL_LOOKUP_BY_VOLUME, Types::readVolume, POOL,
            (call, vol) -> pools(call).lookupPoolByVolume(vol));
        bind(table, RemoteProcedure.STORAGE_POOL_LOOKUP_BY_TARGET_PATH, Types::readString, POOL,
            (call, path) -> pools(call).lookupPoolByTargetPath(path));
        bind(table, RemoteProcedure.CONNECT_GET_STORAGE_POOL_CAPABILITIES, XdrReader::readInt, XdrWriter::writeString,
            (call, flags) -> pools(call).poolCapabilities(flags));
        // remote_connect_find_storage_pool_sources_args { type; remote_string srcSpec; flags }, ret { xml }
        bind(table, RemoteProcedure.CONNECT_FIND_STORAGE_POOL_SOURCES,
            in -> new SourceSearch(Types.readString(in), Types.readOptionalString(in), in.readInt()),
            XdrWriter::writeString, (call, args) -> pools(call).findPoolSources(args.type(), args.spec(), args.flags()));
        bind(table, RemoteProcedure.STORAGE_POOL_DEFINE_XML, XmlFlags::read, POOL,
            (call, args) -> pools(call).definePool(args.xml(), args.flags()));
        bind(table, RemoteProcedure.STORAGE_POOL_CREATE_XML, XmlFlags::read, POOL,
            (call, args) -> pools(call).createPool(args.xml(), args.flags()));
        bind(table, RemoteProcedure.STORAGE_POOL_UNDEFINE, Types::readPool, NO_RET,
            (call, pool) -> run(() -> pools(call).undefinePool(pool)));
        bind(table, RemoteProcedure.STORAGE_POOL_BUILD, PoolFlags::read, NO_RET,
            (call, args) -> run(() -> pools(call).buildPool(args.pool(), args.flags())));
        bind(table, RemoteProcedure.STORAGE_POOL_CREATE, PoolFlags::read, NO_RET,
            (call, args) -> run(() -> pools(call).startPool(args.pool(), args.flags())));
        bind(table, RemoteProcedure.STORAGE_POOL_DESTROY, Types::readPool, NO_RET,
            (call, pool) -> run(() -> pools(call).destroyPool(pool)));
        bind(table, RemoteProcedure.STORAGE_POOL_DELETE, PoolFlags::read, NO_RET,
            (call, args) -> run(() -> pools(call).deletePool(args.pool(), args.flags())));
        bind(table, RemoteProcedure.STORAGE_POOL_REFRESH, PoolFlags::read, NO_RET,
            (call, args) -> run(() -> pools(call).refreshPool(args.pool(), args.flags())));
        bind(table, RemoteProcedure.STORAGE_POOL_GET_AUTOSTART, Types::readPool, Types::writeBool,
            (call, pool) -> pools(call).poolAutostart(pool));
        bind(table, RemoteProcedure.STORAGE_POOL_SET_AUTOSTART, PoolFlags::read, NO_RET,
            (call, args) -> run(() -> pools(call).setPoolAutostart(args.pool(), args.flags() != 0)));
        bind(table, RemoteProcedure.STORAGE_POOL_GET_INFO, Types::readPool, StoragePoolProcedures::writeInfo,
            (call, pool) -> pools(call).poolInfo(pool));
        bind(table, RemoteProcedure.STORAGE_POOL_GET_XML_DESC, PoolFlags::read, XdrWriter::writeString,
            (call, args) -> pools(call).poolXml(args.pool(), args.flags()));
        bind(table, RemoteProcedure.STORAGE_POOL_IS_ACTIVE, Types::readPool, Types::writeBool,
            (call, pool) -> pools(call).isPoolActive(pool));
        bind(table, RemoteProcedure.STORAGE_POOL_IS_PERSISTENT, Types::readPool, Types::writeBool,
            (call, pool) -> pools(call).isPoolPersistent(pool));
        bindEvents(table);
    }

    private void bindListing(ProcedureTable table) {
        bind(table, RemoteProcedure.CONNECT_LIST_ALL_STORAGE_POOLS, in -> new int[] {in.readInt(), in.readInt()},
            (XdrWriter out, ListResult<PoolRef> result) -> result.write(out, Types::writePool), (call, args) -> {
                List<PoolRef> all = pools(call).listAllPools(args[1]);
                checkList(all.size(), "storage pools");
                return new ListResult<>(args[0] != 0 ? all : List.of(), all.size());
            });
        bind(table, RemoteProcedure.CONNECT_NUM_OF_STORAGE_POOLS, NO_ARGS, Types::writeInt,
            (call, args) -> active(call, true).size());
        bind(table, RemoteProcedure.CONNECT_NUM_OF_DEFINED_STORAGE_POOLS, NO_ARGS, Types::writeInt,
            (call, args) -> active(call, false).size());
        bind(table, RemoteProcedure.CONNECT_LIST_STORAGE_POOLS, XdrReader::readInt, StoragePoolProcedures::writeNames,
            (call, max) -> names(active(call, true), max, "STORAGE_POOL"));
        bind(table, RemoteProcedure.CONNECT_LIST_DEFINED_STORAGE_POOLS, XdrReader::readInt,
            StoragePoolProcedures::writeNames, (call, max) -> names(active(call, false), max, "STORAGE_POOL"));
    }

    private void bindEvents(ProcedureTable table) {
        bind(table, RemoteProcedure.CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY, EventRegister::read, Types::writeInt,
            this::registerEvents);
        bind(table, RemoteProcedure.CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY, XdrReader::readInt, NO_RET,
            (call, callbackId) -> {
                if (!call.client().poolEvents().remove(callbackId)) {
                    throw VirtErrors.internal(ErrorDomain.RPC, "storage pool event callback " + callbackId
                        + " not registered");
                }
                return null;
            });
    }

    private Integer registerEvents(Call call, EventRegister args) {
        StoragePools pools = pools(call);
        UUID filter = args.pool() == null ? null : pools.lookupPoolByUuid(args.pool().uuid()).uuid();
        if (args.eventId() != ClientState.POOL_LIFECYCLE && args.eventId() != ClientState.POOL_REFRESH) {
            throw VirtErrors.internal(ErrorDomain.RPC, "unsupported storage pool event ID " + args.eventId());
        }
        int callbackId = callbackIds.getAndIncrement();
        call.client().poolEvents().add(listener -> pools.subscribe(listener::accept), callbackId, args.eventId(),
            filter);
        return callbackId;
    }

    /** Names of the active (or inactive) pools, for the old list procedures. */
    private List<String> active(Call call, boolean active) {
        StoragePools pools = pools(call);
        return pools.listAllPools(0).stream().filter(pool -> pools.isPoolActive(pool) == active)
            .map(PoolRef::name).toList();
    }

    /** remote_storage_pool_get_info_ret { unsigned char state; unsigned hyper capacity, allocation, available }. */
    private static void writeInfo(XdrWriter out, PoolInfo info) {
        out.writeInt(info.state()).writeHyper(info.capacity()).writeHyper(info.allocation())
            .writeHyper(info.available());
    }

    record SourceSearch(String type, String spec, int flags) {
    }
}
