package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_RET;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.DomainSnapshots;
import org.jvirtd.api.snapshot.SnapshotRef;
import org.jvirtd.rpc.dispatch.Call;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.DomainArgs.DomainAndFlags;
import org.jvirtd.rpc.protocol.SnapshotArgs;
import org.jvirtd.rpc.protocol.SnapshotArgs.Create;
import org.jvirtd.rpc.protocol.SnapshotArgs.ListAll;
import org.jvirtd.rpc.protocol.SnapshotArgs.ListAllChildren;
import org.jvirtd.rpc.protocol.SnapshotArgs.ListAllResult;
import org.jvirtd.rpc.protocol.SnapshotArgs.ListChildrenNames;
import org.jvirtd.rpc.protocol.SnapshotArgs.ListNames;
import org.jvirtd.rpc.protocol.SnapshotArgs.LookupByName;
import org.jvirtd.rpc.protocol.SnapshotArgs.SnapshotAndFlags;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.xdr.XdrWriter;

/** The domain snapshot procedures (virDomainSnapshot*, virDomainListAllSnapshots, virDomainRevertToSnapshot). */
public final class SnapshotProcedures {
    public void bindTo(ProcedureTable table) {
        bindChanges(table);
        bindLists(table);
        bindQueries(table);
    }

    private static DomainSnapshots snapshots(Call call) {
        return call.connection().snapshots();
    }

    private void bindChanges(ProcedureTable table) {
        table.bind(RemoteProcedure.DOMAIN_SNAPSHOT_CREATE_XML, Create::read, SnapshotArgs::writeSnapshot,
            (call, args) -> snapshots(call).create(args.dom(), args.xml(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_REVERT_TO_SNAPSHOT, SnapshotAndFlags::read, NO_RET, (call, args) -> {
            snapshots(call).revert(args.snap(), args.flags());
            return null;
        });
        table.bind(RemoteProcedure.DOMAIN_SNAPSHOT_DELETE, SnapshotAndFlags::read, NO_RET, (call, args) -> {
            snapshots(call).delete(args.snap(), args.flags());
            return null;
        });
    }

    private void bindLists(ProcedureTable table) {
        table.bind(RemoteProcedure.DOMAIN_SNAPSHOT_NUM, DomainAndFlags::read, Types::writeInt,
            (call, args) -> snapshots(call).listAll(args.dom(), args.flags()).size());
        table.bind(RemoteProcedure.DOMAIN_SNAPSHOT_LIST_NAMES, ListNames::read, SnapshotProcedures::writeNames,
            (call, args) -> {
                checkRequested(args.max());
                return names(snapshots(call).listAll(args.dom(), args.flags()), args.max());
            });
        table.bind(RemoteProcedure.DOMAIN_LIST_ALL_SNAPSHOTS, ListAll::read, ListAllResult::write, (call, args) -> {
            List<SnapshotRef> all = snapshots(call).listAll(args.dom(), args.flags());
            checkListSize(all.size());
            return new ListAllResult(args.needResults() ? all : List.of(), all.size());
        });
        table.bind(RemoteProcedure.DOMAIN_SNAPSHOT_NUM_CHILDREN, SnapshotAndFlags::read, Types::writeInt,
            (call, args) -> snapshots(call).listChildren(args.snap(), args.flags()).size());
        table.bind(RemoteProcedure.DOMAIN_SNAPSHOT_LIST_CHILDREN_NAMES, ListChildrenNames::read,
            SnapshotProcedures::writeNames, (call, args) -> {
                checkRequested(args.max());
                return names(snapshots(call).listChildren(args.snap(), args.flags()), args.max());
            });
        table.bind(RemoteProcedure.DOMAIN_SNAPSHOT_LIST_ALL_CHILDREN, ListAllChildren::read, ListAllResult::write,
            (call, args) -> {
                List<SnapshotRef> all = snapshots(call).listChildren(args.snap(), args.flags());
                checkListSize(all.size());
                return new ListAllResult(args.needResults() ? all : List.of(), all.size());
            });
    }

    private void bindQueries(ProcedureTable table) {
        table.bind(RemoteProcedure.DOMAIN_SNAPSHOT_GET_XML_DESC, SnapshotAndFlags::read, XdrWriter::writeString,
            (call, args) -> snapshots(call).xml(args.snap(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_SNAPSHOT_LOOKUP_BY_NAME, LookupByName::read, SnapshotArgs::writeSnapshot,
            (call, args) -> snapshots(call).lookupByName(args.dom(), args.name(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_HAS_CURRENT_SNAPSHOT, DomainAndFlags::read, Types::writeInt,
            (call, args) -> snapshots(call).hasCurrent(args.dom(), args.flags()) ? 1 : 0);
        table.bind(RemoteProcedure.DOMAIN_SNAPSHOT_CURRENT, DomainAndFlags::read, SnapshotArgs::writeSnapshot,
            (call, args) -> snapshots(call).current(args.dom(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_SNAPSHOT_GET_PARENT, SnapshotAndFlags::read, SnapshotArgs::writeSnapshot,
            (call, args) -> snapshots(call).parent(args.snap(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_SNAPSHOT_IS_CURRENT, SnapshotAndFlags::read, Types::writeInt,
            (call, args) -> snapshots(call).isCurrent(args.snap(), args.flags()) ? 1 : 0);
        table.bind(RemoteProcedure.DOMAIN_SNAPSHOT_HAS_METADATA, SnapshotAndFlags::read, Types::writeInt,
            (call, args) -> snapshots(call).hasMetadata(args.snap(), args.flags()) ? 1 : 0);
    }

    private static List<String> names(List<SnapshotRef> snapshots, int max) {
        return snapshots.stream().limit(max).map(SnapshotRef::name).toList();
    }

    private static void writeNames(XdrWriter out, List<String> names) {
        out.writeArray(names, XdrWriter::writeString);
    }

    private static void checkRequested(int max) {
        if (max < 0 || max > SnapshotArgs.LIST_MAX) {
            throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, "maxnames > REMOTE_DOMAIN_SNAPSHOT_LIST_MAX");
        }
    }

    private static void checkListSize(int size) {
        if (size > SnapshotArgs.LIST_MAX) {
            throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC,
                "Too many domain snapshots '" + size + "' for limit '" + SnapshotArgs.LIST_MAX + "'");
        }
    }
}
