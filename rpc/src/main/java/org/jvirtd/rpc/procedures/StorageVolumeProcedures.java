package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.procedures.StoragePoolProcedures.bind;
import static org.jvirtd.rpc.procedures.StoragePoolProcedures.checkList;
import static org.jvirtd.rpc.procedures.StoragePoolProcedures.names;
import static org.jvirtd.rpc.procedures.StoragePoolProcedures.run;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.connect.StoragePools;
import org.jvirtd.api.storage.PoolRef;
import org.jvirtd.api.storage.ProgressListener;
import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.api.storage.VolumeInfo;
import org.jvirtd.api.storage.VolumeRef;
import org.jvirtd.rpc.dispatch.Call;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.procedures.StoragePoolProcedures.ListResult;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The storage volume procedures (vol-* commands), including the upload and download streams, served by
 * the StoragePools service.
 */
public final class StorageVolumeProcedures {
    private static final BiConsumer<XdrWriter, VolumeRef> VOLUME = Types::writeVolume;
    private static final ProgressListener NO_PROGRESS = (done, total) -> { };

    private final Supplier<StoragePools> service;

    public StorageVolumeProcedures(Supplier<StoragePools> service) {
        this.service = service;
    }

    record VolFlags(VolumeRef vol, int flags) {
        static VolFlags read(XdrReader in) {
            return new VolFlags(Types.readVolume(in), in.readInt());
        }
    }

    record PoolName(PoolRef pool, String name) {
        static PoolName read(XdrReader in) {
            return new PoolName(Types.readPool(in), Types.readString(in));
        }
    }

    record PoolInt(PoolRef pool, int value) {
        static PoolInt read(XdrReader in) {
            return new PoolInt(Types.readPool(in), in.readInt());
        }
    }

    record Create(PoolRef pool, String xml, VolumeRef source, int flags) {
        static Create read(XdrReader in) {
            return new Create(Types.readPool(in), Types.readString(in), null, in.readInt());
        }

        static Create readFrom(XdrReader in) {
            return new Create(Types.readPool(in), Types.readString(in), Types.readVolume(in), in.readInt());
        }
    }

    record ListAll(PoolRef pool, boolean needResults, int flags) {
        static ListAll read(XdrReader in) {
            return new ListAll(Types.readPool(in), in.readInt() != 0, in.readInt());
        }
    }

    record Resize(VolumeRef vol, long capacity, int flags) {
        static Resize read(XdrReader in) {
            return new Resize(Types.readVolume(in), in.readHyper(), in.readInt());
        }
    }

    record Wipe(VolumeRef vol, int algorithm, int flags) {
        static Wipe read(XdrReader in) {
            return new Wipe(Types.readVolume(in), in.readInt(), in.readInt());
        }
    }

    /** remote_storage_vol_upload_args and _download_args { vol; hyper offset; hyper length; unsigned flags }. */
    record Transfer(VolumeRef vol, long offset, long length, int flags) {
        static Transfer read(XdrReader in) {
            return new Transfer(Types.readVolume(in), in.readHyper(), in.readHyper(), in.readInt());
        }
    }

    private StoragePools pools(Call call) {
        return StoragePoolProcedures.pools(service, call);
    }

    public void bindTo(ProcedureTable table) {
        bindListingAndLookups(table);
        bind(table, RemoteProcedure.STORAGE_VOL_CREATE_XML, Create::read, VOLUME,
            (call, args) -> pools(call).createVolume(args.pool(), args.xml(), args.flags()));
        bind(table, RemoteProcedure.STORAGE_VOL_CREATE_XML_FROM, Create::readFrom, VOLUME,
            (call, args) -> pools(call).createVolumeFrom(args.pool(), args.xml(), args.source(), args.flags(),
                NO_PROGRESS));
        bind(table, RemoteProcedure.STORAGE_VOL_DELETE, VolFlags::read, ProcedureTable.NO_RET,
            (call, args) -> run(() -> pools(call).deleteVolume(args.vol(), args.flags())));
        bind(table, RemoteProcedure.STORAGE_VOL_RESIZE, Resize::read, ProcedureTable.NO_RET,
            (call, args) -> run(() -> pools(call).resizeVolume(args.vol(), args.capacity(), args.flags())));
        bind(table, RemoteProcedure.STORAGE_VOL_WIPE, VolFlags::read, ProcedureTable.NO_RET, (call, args) -> run(
            () -> pools(call).wipeVolume(args.vol(), StorageFlags.WIPE_ZERO, args.flags(), NO_PROGRESS)));
        bind(table, RemoteProcedure.STORAGE_VOL_WIPE_PATTERN, Wipe::read, ProcedureTable.NO_RET, (call, args) -> run(
            () -> pools(call).wipeVolume(args.vol(), args.algorithm(), args.flags(), NO_PROGRESS)));
        bind(table, RemoteProcedure.STORAGE_VOL_GET_INFO, Types::readVolume, StorageVolumeProcedures::writeInfo,
            (call, vol) -> pools(call).volumeInfo(vol));
        bind(table, RemoteProcedure.STORAGE_VOL_GET_INFO_FLAGS, VolFlags::read, StorageVolumeProcedures::writeInfo,
            (call, args) -> pools(call).volumeInfo(args.vol()));
        bind(table, RemoteProcedure.STORAGE_VOL_GET_XML_DESC, VolFlags::read, XdrWriter::writeString,
            (call, args) -> pools(call).volumeXml(args.vol(), args.flags()));
        bind(table, RemoteProcedure.STORAGE_VOL_GET_PATH, Types::readVolume, XdrWriter::writeString,
            (call, vol) -> pools(call).volumePath(vol));
        bind(table, RemoteProcedure.STORAGE_VOL_UPLOAD, Transfer::read, ProcedureTable.NO_RET, this::upload);
        bind(table, RemoteProcedure.STORAGE_VOL_DOWNLOAD, Transfer::read, ProcedureTable.NO_RET, this::download);
    }

    private void bindListingAndLookups(ProcedureTable table) {
        bind(table, RemoteProcedure.STORAGE_POOL_LIST_ALL_VOLUMES, ListAll::read,
            (XdrWriter out, ListResult<VolumeRef> result) -> result.write(out, Types::writeVolume), (call, args) -> {
                List<VolumeRef> all = pools(call).listAllVolumes(args.pool(), args.flags());
                checkList(all.size(), "storage volumes");
                return new ListResult<>(args.needResults() ? all : List.of(), all.size());
            });
        bind(table, RemoteProcedure.STORAGE_POOL_NUM_OF_VOLUMES, Types::readPool, Types::writeInt,
            (call, pool) -> pools(call).listAllVolumes(pool, 0).size());
        bind(table, RemoteProcedure.STORAGE_POOL_LIST_VOLUMES, PoolInt::read, StoragePoolProcedures::writeNames,
            (call, args) -> names(pools(call).listAllVolumes(args.pool(), 0).stream().map(VolumeRef::name).toList(),
                args.value(), "STORAGE_VOL"));
        bind(table, RemoteProcedure.STORAGE_VOL_LOOKUP_BY_NAME, PoolName::read, VOLUME,
            (call, args) -> pools(call).lookupVolumeByName(args.pool(), args.name()));
        bind(table, RemoteProcedure.STORAGE_VOL_LOOKUP_BY_KEY, Types::readString, VOLUME,
            (call, key) -> pools(call).lookupVolumeByKey(key));
        bind(table, RemoteProcedure.STORAGE_VOL_LOOKUP_BY_PATH, Types::readString, VOLUME,
            (call, path) -> pools(call).lookupVolumeByPath(path));
    }

    /**
     * Opens the volume for writing; the client's STREAM (and, with VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM,
     * STREAM_HOLE) packets go to a {@link VolumeUpload}.
     */
    private Void upload(Call call, Transfer args) {
        checkFlags(args.flags(), "storageVolUpload");
        var channel = pools(call).upload(args.vol(), args.offset(), args.length(), args.flags());
        call.client().streams().put(call.header().serial(),
            new VolumeUpload(call.client(), call.header(), channel, sparse(args)));
        return null;
    }

    /**
     * Opens the volume for reading; a {@link VolumeDownload} sends it once the reply is out, its zero
     * blocks as holes when VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM asked for them.
     */
    private Void download(Call call, Transfer args) {
        checkFlags(args.flags(), "storageVolDownload");
        var channel = pools(call).download(args.vol(), args.offset(), args.length(), args.flags());
        call.client().streams().put(call.header().serial(),
            new VolumeDownload(call.client(), call.header(), channel, sparse(args)));
        return null;
    }

    private static boolean sparse(Transfer args) {
        return (args.flags() & StorageFlags.STREAM_SPARSE) != 0;
    }

    /** The sparse-stream flag is the only one either transfer knows. */
    private static void checkFlags(int flags, String function) {
        VirtErrors.checkFlags(ErrorDomain.STORAGE, Integer.toUnsignedLong(flags), StorageFlags.STREAM_SPARSE, function);
    }

    /** remote_storage_vol_get_info_ret { char type; unsigned hyper capacity; unsigned hyper allocation }. */
    private static void writeInfo(XdrWriter out, VolumeInfo info) {
        out.writeInt(info.type()).writeHyper(info.capacity()).writeHyper(info.allocation());
    }
}
