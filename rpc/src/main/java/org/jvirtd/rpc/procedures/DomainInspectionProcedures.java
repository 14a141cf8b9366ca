package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_RET;

import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.TypedParams;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * Block and memory peeks, the start of a dirty page rate calculation, and save/restore with typed parameters,
 * with the bounds libvirtd's dispatch enforces.
 */
public final class DomainInspectionProcedures {
    /** REMOTE_DOMAIN_BLOCK_PEEK_BUFFER_MAX and REMOTE_DOMAIN_MEMORY_PEEK_BUFFER_MAX. */
    static final int PEEK_BUFFER_MAX = 4194304;
    /** REMOTE_DOMAIN_SAVE_PARAMS_MAX. */
    static final int SAVE_PARAMS_MAX = 64;

    /** remote_domain_block_peek_args { dom; remote_nonnull_string path; unsigned hyper offset; size; flags }. */
    record BlockPeek(DomainRef dom, String path, long offset, int size, int flags) {
        static BlockPeek read(XdrReader in) {
            return new BlockPeek(Types.readDomain(in), Types.readString(in), in.readHyper(), in.readInt(),
                in.readInt());
        }
    }

    /** remote_domain_memory_peek_args { dom; unsigned hyper offset; unsigned int size; unsigned int flags }. */
    record MemoryPeek(DomainRef dom, long offset, int size, int flags) {
        static MemoryPeek read(XdrReader in) {
            return new MemoryPeek(Types.readDomain(in), in.readHyper(), in.readInt(), in.readInt());
        }
    }

    /** remote_domain_start_dirty_rate_calc_args { dom; int seconds; unsigned int flags }. */
    record DirtyRate(DomainRef dom, int seconds, int flags) {
    }

    /** remote_domain_save_params_args { dom; remote_typed_param params<>; unsigned int flags }. */
    record SaveParams(DomainRef dom, List<TypedParameter> params, int flags) {
    }

    /** remote_domain_restore_params_args { remote_typed_param params<>; unsigned int flags }. */
    record RestoreParams(List<TypedParameter> params, int flags) {
    }

    public void bindTo(ProcedureTable table) {
        table.bind(RemoteProcedure.DOMAIN_BLOCK_PEEK, BlockPeek::read, XdrWriter::writeOpaque, (call, args) -> {
            checkSize(args.size());
            return call.connection().blockPeek(args.dom(), args.path(), args.offset(), args.size(), args.flags());
        });
        table.bind(RemoteProcedure.DOMAIN_MEMORY_PEEK, MemoryPeek::read, XdrWriter::writeOpaque, (call, args) -> {
            checkSize(args.size());
            return call.connection().memoryPeek(args.dom(), args.offset(), args.size(), args.flags());
        });
        table.bind(RemoteProcedure.DOMAIN_START_DIRTY_RATE_CALC,
            in -> new DirtyRate(Types.readDomain(in), in.readInt(), in.readInt()), NO_RET, (call, args) -> {
                call.connection().startDirtyRateCalc(args.dom(), args.seconds(), args.flags());
                return null;
            });
        table.bind(RemoteProcedure.DOMAIN_SAVE_PARAMS,
            in -> new SaveParams(Types.readDomain(in), TypedParams.readAll(in, SAVE_PARAMS_MAX), in.readInt()), NO_RET,
            (call, args) -> {
                call.connection().saveParams(args.dom(), args.params(), args.flags());
                return null;
            });
        table.bind(RemoteProcedure.DOMAIN_RESTORE_PARAMS,
            in -> new RestoreParams(TypedParams.readAll(in, SAVE_PARAMS_MAX), in.readInt()), NO_RET,
            (call, args) -> {
                call.connection().restoreParams(args.params(), args.flags());
                return null;
            });
    }

    /** libvirtd refuses a buffer its reply could not carry before it calls the driver. */
    private static void checkSize(int size) {
        if (Integer.toUnsignedLong(size) > PEEK_BUFFER_MAX) {
            throw VirtErrors.internal(ErrorDomain.RPC, "size > maximum buffer size");
        }
    }
}
