package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_RET;

import java.util.List;

import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.domain.BlockJobInfo;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.TypedParams;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/** The block procedures: resize, write threshold, commit, pull, rebase, copy and the block job calls. */
public final class BlockJobProcedures {
    /** REMOTE_DOMAIN_BLOCK_COPY_PARAMETERS_MAX. */
    static final int BLOCK_COPY_PARAMETERS_MAX = 16;

    /** The arguments most of these calls share: the domain, a disk, a number (size, bandwidth), flags. */
    record DiskNumber(DomainRef dom, String disk, long number, int flags) {
        static DiskNumber read(XdrReader in) {
            return new DiskNumber(Types.readDomain(in), Types.readString(in), in.readHyper(), in.readInt());
        }
    }

    record DiskFlags(DomainRef dom, String disk, int flags) {
        static DiskFlags read(XdrReader in) {
            return new DiskFlags(Types.readDomain(in), Types.readString(in), in.readInt());
        }
    }

    /** remote_domain_block_commit_args { dom; disk; remote_string base; remote_string top; bandwidth; flags }. */
    record Commit(DomainRef dom, String disk, String base, String top, long bandwidth, int flags) {
        static Commit read(XdrReader in) {
            return new Commit(Types.readDomain(in), Types.readString(in), Types.readOptionalString(in),
                Types.readOptionalString(in), in.readHyper(), in.readInt());
        }
    }

    /** remote_domain_block_rebase_args { dom; path; remote_string base; bandwidth; flags }. */
    record Rebase(DomainRef dom, String disk, String base, long bandwidth, int flags) {
        static Rebase read(XdrReader in) {
            return new Rebase(Types.readDomain(in), Types.readString(in), Types.readOptionalString(in),
                in.readHyper(), in.readInt());
        }
    }

    /** remote_domain_block_copy_args { dom; path; destxml; remote_typed_param params<16>; flags }. */
    record Copy(DomainRef dom, String disk, String destXml, List<TypedParameter> params, int flags) {
        static Copy read(XdrReader in) {
            return new Copy(Types.readDomain(in), Types.readString(in), Types.readString(in),
                TypedParams.readAll(in, BLOCK_COPY_PARAMETERS_MAX), in.readInt());
        }
    }

    public void bindTo(ProcedureTable table) {
        table.bind(RemoteProcedure.DOMAIN_BLOCK_RESIZE, DiskNumber::read, NO_RET, (call, a) -> {
            call.connection().blockOperations().resize(a.dom(), a.disk(), a.number(), a.flags());
            return null;
        });
        table.bind(RemoteProcedure.DOMAIN_SET_BLOCK_THRESHOLD, DiskNumber::read, NO_RET, (call, a) -> {
            call.connection().blockOperations().setThreshold(a.dom(), a.disk(), a.number(), a.flags());
            return null;
        });
        table.bind(RemoteProcedure.DOMAIN_BLOCK_COMMIT, Commit::read, NO_RET, (call, a) -> {
            call.connection().blockOperations().commit(a.dom(), a.disk(), a.base(), a.top(), a.bandwidth(),
                a.flags());
            return null;
        });
        table.bind(RemoteProcedure.DOMAIN_BLOCK_PULL, DiskNumber::read, NO_RET, (call, a) -> {
            call.connection().blockOperations().pull(a.dom(), a.disk(), a.number(), a.flags());
            return null;
        });
        table.bind(RemoteProcedure.DOMAIN_BLOCK_REBASE, Rebase::read, NO_RET, (call, a) -> {
            call.connection().blockOperations().rebase(a.dom(), a.disk(), a.base(), a.bandwidth(), a.flags());
            return null;
        });
        table.bind(RemoteProcedure.DOMAIN_BLOCK_COPY, Copy::read, NO_RET, (call, a) -> {
            call.connection().blockOperations().copy(a.dom(), a.disk(), a.destXml(), a.params(), a.flags());
            return null;
        });
        table.bind(RemoteProcedure.DOMAIN_GET_BLOCK_JOB_INFO, DiskFlags::read, BlockJobProcedures::writeJobInfo,
            (call, a) -> java.util.Optional.ofNullable(call.connection().blockOperations().jobInfo(a.dom(),
                a.disk(), a.flags())));
        table.bind(RemoteProcedure.DOMAIN_BLOCK_JOB_ABORT, DiskFlags::read, NO_RET, (call, a) -> {
            call.connection().blockOperations().abortJob(a.dom(), a.disk(), a.flags());
            return null;
        });
        table.bind(RemoteProcedure.DOMAIN_BLOCK_JOB_SET_SPEED, DiskNumber::read, NO_RET, (call, a) -> {
            call.connection().blockOperations().setJobSpeed(a.dom(), a.disk(), a.number(), a.flags());
            return null;
        });
    }

    /** remote_domain_get_block_job_info_ret { int found; int type; uhyper bandwidth; uhyper cur; uhyper end }. */
    private static void writeJobInfo(XdrWriter out, java.util.Optional<BlockJobInfo> job) {
        BlockJobInfo info = job.orElse(new BlockJobInfo(0, 0, 0, 0));
        out.writeInt(job.isPresent() ? 1 : 0).writeInt(info.type()).writeHyper(info.bandwidth())
            .writeHyper(info.cur()).writeHyper(info.end());
    }
}
