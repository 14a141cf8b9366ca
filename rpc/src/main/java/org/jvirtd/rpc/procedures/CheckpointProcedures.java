package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_RET;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.CheckpointRef;
import org.jvirtd.api.domain.DomainJobStats;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.TypedParams;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/** The checkpoint, backup and domain job procedures. */
public final class CheckpointProcedures {
    /** REMOTE_DOMAIN_CHECKPOINT_LIST_MAX. */
    static final int CHECKPOINT_LIST_MAX = 16384;
    /** REMOTE_DOMAIN_JOB_STATS_MAX. */
    static final int JOB_STATS_MAX = 64;

    /** remote_nonnull_domain_checkpoint { name; dom }. */
    static CheckpointRef readCheckpoint(XdrReader in) {
        String name = Types.readString(in);
        return new CheckpointRef(Types.readDomain(in), name);
    }

    static void writeCheckpoint(XdrWriter out, CheckpointRef c) {
        out.writeString(c.name());
        Types.writeDomain(out, c.domain());
    }

    record DomainString(DomainRef dom, String text, int flags) {
        static DomainString read(XdrReader in) {
            return new DomainString(Types.readDomain(in), Types.readString(in), in.readInt());
        }
    }

    record CheckpointFlags(CheckpointRef checkpoint, int flags) {
        static CheckpointFlags read(XdrReader in) {
            return new CheckpointFlags(readCheckpoint(in), in.readInt());
        }
    }

    record DomainList(DomainRef dom, boolean needResults, int flags) {
        static DomainList read(XdrReader in) {
            return new DomainList(Types.readDomain(in), in.readInt() != 0, in.readInt());
        }
    }

    record ChildList(CheckpointRef checkpoint, boolean needResults, int flags) {
        static ChildList read(XdrReader in) {
            return new ChildList(readCheckpoint(in), in.readInt() != 0, in.readInt());
        }
    }

    /** remote_domain_backup_begin_args { dom; backup_xml; remote_string checkpoint_xml; flags }. */
    record BackupBegin(DomainRef dom, String backupXml, String checkpointXml, int flags) {
        static BackupBegin read(XdrReader in) {
            return new BackupBegin(Types.readDomain(in), Types.readString(in), Types.readOptionalString(in),
                in.readInt());
        }
    }

    record DomainFlags(DomainRef dom, int flags) {
        static DomainFlags read(XdrReader in) {
            return new DomainFlags(Types.readDomain(in), in.readInt());
        }
    }

    record Listed(List<CheckpointRef> checkpoints, boolean needResults) {
        void write(XdrWriter out) {
            if (checkpoints.size() > CHECKPOINT_LIST_MAX) {
                throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, "Too many domain checkpoints '"
                    + checkpoints.size() + "' for limit '" + CHECKPOINT_LIST_MAX + "'");
            }
            out.writeArray(needResults ? checkpoints : List.of(), CheckpointProcedures::writeCheckpoint);
            out.writeInt(checkpoints.size());
        }
    }

    public void bindTo(ProcedureTable table) {
        table.bind(RemoteProcedure.DOMAIN_CHECKPOINT_CREATE_XML, DomainString::read,
            CheckpointProcedures::writeCheckpoint,
            (call, a) -> call.connection().backups().createCheckpoint(a.dom(), a.text(), a.flags()));
        table.bind(RemoteProcedure.DOMAIN_CHECKPOINT_GET_XML_DESC, CheckpointFlags::read, XdrWriter::writeString,
            (call, a) -> {
                if (call.client().readOnly() && (a.flags() & 1) != 0) {
                    throw new VirtException(ErrorCode.OPERATION_DENIED, ErrorDomain.DOMAIN,
                        "virDomainCheckpointGetXMLDesc with secure flag");
                }
                return call.connection().backups().checkpointXml(a.checkpoint(), a.flags());
            });
        table.bind(RemoteProcedure.DOMAIN_LIST_ALL_CHECKPOINTS, DomainList::read, (XdrWriter out, Listed l) ->
            l.write(out), (call, a) -> new Listed(call.connection().backups().listCheckpoints(a.dom(), a.flags()),
                a.needResults()));
        table.bind(RemoteProcedure.DOMAIN_CHECKPOINT_LIST_ALL_CHILDREN, ChildList::read, (XdrWriter out, Listed l) ->
            l.write(out), (call, a) -> new Listed(call.connection().backups().listChildren(a.checkpoint(),
                a.flags()), a.needResults()));
        table.bind(RemoteProcedure.DOMAIN_CHECKPOINT_LOOKUP_BY_NAME, DomainString::read,
            CheckpointProcedures::writeCheckpoint,
            (call, a) -> call.connection().backups().lookupCheckpoint(a.dom(), a.text(), a.flags()));
        table.bind(RemoteProcedure.DOMAIN_CHECKPOINT_GET_PARENT, CheckpointFlags::read,
            CheckpointProcedures::writeCheckpoint,
            (call, a) -> call.connection().backups().checkpointParent(a.checkpoint(), a.flags()));
        table.bind(RemoteProcedure.DOMAIN_CHECKPOINT_DELETE, CheckpointFlags::read, NO_RET, (call, a) -> {
            call.connection().backups().deleteCheckpoint(a.checkpoint(), a.flags());
            return null;
        });
        table.bind(RemoteProcedure.DOMAIN_BACKUP_BEGIN, BackupBegin::read, NO_RET, (call, a) -> {
            call.connection().backups().backupBegin(a.dom(), a.backupXml(), a.checkpointXml(), a.flags());
            return null;
        });
        table.bind(RemoteProcedure.DOMAIN_BACKUP_GET_XML_DESC, DomainFlags::read, XdrWriter::writeString,
            (call, a) -> call.connection().backups().backupXml(a.dom(), a.flags()));
        table.bind(RemoteProcedure.DOMAIN_GET_JOB_STATS, DomainFlags::read, CheckpointProcedures::writeJobStats,
            (call, a) -> call.connection().backups().jobStats(a.dom(), a.flags()));
        table.bind(RemoteProcedure.DOMAIN_GET_JOB_INFO, Types::readDomain, CheckpointProcedures::writeJobInfo,
            (call, dom) -> call.connection().backups().jobStats(dom, 0));
        table.bind(RemoteProcedure.DOMAIN_ABORT_JOB, Types::readDomain, NO_RET, (call, dom) -> {
            call.connection().backups().abortJob(dom, 0);
            return null;
        });
        table.bind(RemoteProcedure.DOMAIN_ABORT_JOB_FLAGS, DomainFlags::read, NO_RET, (call, a) -> {
            call.connection().backups().abortJob(a.dom(), a.flags());
            return null;
        });
    }

    /** remote_domain_get_job_stats_ret { int type; remote_typed_param params<REMOTE_DOMAIN_JOB_STATS_MAX> }. */
    private static void writeJobStats(XdrWriter out, DomainJobStats stats) {
        out.writeInt(stats.type());
        TypedParams.writeAll(out, stats.params());
    }

    /**
     * remote_domain_get_job_info_ret { type; timeElapsed; timeRemaining; dataTotal; dataProcessed; dataRemaining;
     * memTotal; memProcessed; memRemaining; fileTotal; fileProcessed; fileRemaining }: a backup's disk figures
     * are its file figures.
     */
    private static void writeJobInfo(XdrWriter out, DomainJobStats stats) {
        out.writeInt(stats.type()).writeHyper(number(stats, "time_elapsed")).writeHyper(0)
            .writeHyper(number(stats, "disk_total")).writeHyper(number(stats, "disk_processed"))
            .writeHyper(number(stats, "disk_remaining")).writeHyper(0).writeHyper(0).writeHyper(0)
            .writeHyper(number(stats, "disk_total")).writeHyper(number(stats, "disk_processed"))
            .writeHyper(number(stats, "disk_remaining"));
    }

    private static long number(DomainJobStats stats, String field) {
        Object value = stats.value(field);
        return value instanceof Number n ? n.longValue() : 0;
    }
}
