package org.jvirtd.rpc.protocol;

import java.util.List;

import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.snapshot.SnapshotRef;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/** The argument structs of the domain snapshot procedures and remote_nonnull_domain_snapshot itself. */
public final class SnapshotArgs {
    /** REMOTE_DOMAIN_SNAPSHOT_LIST_MAX. */
    public static final int LIST_MAX = 16384;

    private SnapshotArgs() {
    }

    /** remote_nonnull_domain_snapshot: { remote_nonnull_string name; remote_nonnull_domain dom }. */
    public static SnapshotRef readSnapshot(XdrReader in) {
        String name = Types.readString(in);
        return new SnapshotRef(Types.readDomain(in), name);
    }

    public static void writeSnapshot(XdrWriter out, SnapshotRef snapshot) {
        out.writeString(snapshot.name());
        Types.writeDomain(out, snapshot.domain());
    }

    /** { snap; unsigned int flags } (get_xml_desc, num_children, get_parent, is_current, has_metadata, revert, delete). */
    public record SnapshotAndFlags(SnapshotRef snap, int flags) {
        public static SnapshotAndFlags read(XdrReader in) {
            return new SnapshotAndFlags(readSnapshot(in), in.readInt());
        }
    }

    /** { dom; remote_nonnull_string xml_desc; unsigned int flags } (snapshot_create_xml). */
    public record Create(DomainRef dom, String xml, int flags) {
        public static Create read(XdrReader in) {
            return new Create(Types.readDomain(in), Types.readString(in), in.readInt());
        }
    }

    /** { dom; int maxnames; unsigned int flags } (snapshot_list_names). */
    public record ListNames(DomainRef dom, int max, int flags) {
        public static ListNames read(XdrReader in) {
            return new ListNames(Types.readDomain(in), in.readInt(), in.readInt());
        }
    }

    /** { snap; int maxnames; unsigned int flags } (snapshot_list_children_names). */
    public record ListChildrenNames(SnapshotRef snap, int max, int flags) {
        public static ListChildrenNames read(XdrReader in) {
            return new ListChildrenNames(readSnapshot(in), in.readInt(), in.readInt());
        }
    }

    /** { dom; int need_results; unsigned int flags } (list_all_snapshots). */
    public record ListAll(DomainRef dom, boolean needResults, int flags) {
        public static ListAll read(XdrReader in) {
            return new ListAll(Types.readDomain(in), in.readInt() != 0, in.readInt());
        }
    }

    /** { snap; int need_results; unsigned int flags } (snapshot_list_all_children). */
    public record ListAllChildren(SnapshotRef snap, boolean needResults, int flags) {
        public static ListAllChildren read(XdrReader in) {
            return new ListAllChildren(readSnapshot(in), in.readInt() != 0, in.readInt());
        }
    }

    /** { dom; remote_nonnull_string name; unsigned int flags } (snapshot_lookup_by_name). */
    public record LookupByName(DomainRef dom, String name, int flags) {
        public static LookupByName read(XdrReader in) {
            return new LookupByName(Types.readDomain(in), Types.readString(in), in.readInt());
        }
    }

    /** { remote_nonnull_domain_snapshot snapshots<>; int ret } of the list_all procedures. */
    public record ListAllResult(List<SnapshotRef> snapshots, int count) {
        public static void write(XdrWriter out, ListAllResult result) {
            out.writeArray(result.snapshots(), SnapshotArgs::writeSnapshot);
            out.writeInt(result.count());
        }
    }
}
