package org.jvirtd.rpc.access;

import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.jvirtd.rpc.dispatch.ClientState;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * Cuts a list call's answer to the objects the client may see (libvirt's @aclfilter): arrays of references,
 * of names or ids (resolved through their lookups), counts (of the filtered list they count) and domain stats
 * records. Works on the reply's XDR, so it needs no knowledge of the handlers' types.
 */
final class ListFilter {
    /** The most names or ids a count asks its list for: libvirt's list limits are at least this. */
    private static final int MAX_NAMES = 16384;

    private final InternalCalls calls;
    private final ClientState client;
    private final Predicate<Map<String, String>> visible;

    ListFilter(InternalCalls calls, ClientState client, Predicate<Map<String, String>> visible) {
        this.calls = calls;
        this.client = client;
        this.visible = visible;
    }

    /** The filtered reply payload of a call with these arguments. */
    byte[] apply(ProcedureAcl acl, byte[] args, byte[] reply) {
        return switch (acl.shape()) {
            case REFS -> references(acl, args, reply);
            case NAMES, IDS -> truncated(acl, args);
            case COUNT -> count(acl, args);
            case STATS -> stats(reply);
            case EVENTS -> reply;
        };
    }

    /** { ref objects<>; unsigned int ret }: also when the client asked for the count only (need_results 0). */
    private byte[] references(ProcedureAcl acl, byte[] args, byte[] reply) {
        XdrReader in = new XdrReader(reply);
        int count = in.readInt();
        if (count == 0 && reply.length >= 8 && new XdrReader(reply, reply.length - 4, 4).readInt() > 0) {
            // the count alone: count what a call that asks for the objects may see
            byte[] asking = args.clone();
            java.nio.ByteBuffer.wrap(asking).putInt(asking.length - 8, 1);
            byte[] full = calls.call(client, acl.procedure(), out -> out.writeFixedOpaque(asking));
            int visibleCount = new XdrReader(references(acl, asking, full)).readInt();
            return new XdrWriter().writeInt(0).writeInt(visibleCount).toByteArray();
        }
        XdrWriter kept = new XdrWriter();
        int keptCount = 0;
        for (int i = 0; i < count; i++) {
            int start = reply.length - in.remaining();
            Map<String, String> object = acl.filterKind().read(in);
            if (acl.filterKind() == ObjectKind.STORAGE_VOL) {
                object = calls.withPoolUuid(client, object);
            }
            int end = reply.length - in.remaining();
            if (visible.test(object)) {
                kept.writeFixedOpaque(reply, start, end - start);
                keptCount++;
            }
        }
        return new XdrWriter().writeInt(keptCount).writeFixedOpaque(kept.toByteArray()).writeInt(keptCount)
            .toByteArray();
    }

    /**
     * A legacy list (names or ids) as libvirt answers it: the first maxnames of the objects the client may see.
     * The handler's answer was cut to maxnames before filtering, so the list is asked again for all of them.
     * Its maxnames argument is its last, or the one before the flags (NODE_LIST_DEVICES).
     */
    private byte[] truncated(ProcedureAcl acl, byte[] args) {
        int at = args.length - (acl.procedure() == RemoteProcedure.NODE_LIST_DEVICES ? 8 : 4);
        int maxnames = new XdrReader(args, at, 4).readInt();
        byte[] all = args.clone();
        java.nio.ByteBuffer.wrap(all).putInt(at, MAX_NAMES);
        byte[] reply = calls.call(client, acl.procedure(), out -> out.writeFixedOpaque(all));
        return acl.shape() == ProcedureAcl.ListShape.IDS ? ids(reply, maxnames) : names(acl, args, reply, maxnames);
    }

    /** { names<> }: each resolved through the lookup (a volume's in the call's pool, a secret's by UUID). */
    private byte[] names(ProcedureAcl acl, byte[] args, byte[] reply, int maxnames) {
        XdrReader in = new XdrReader(reply);
        int count = in.readInt();
        byte[] parent = acl.source() == ProcedureAcl.ObjectSource.ARG ? firstReference(acl.kind(), args) : new byte[0];
        XdrWriter kept = new XdrWriter();
        int keptCount = 0;
        for (int i = 0; i < count && keptCount < maxnames; i++) {
            String name = Types.readString(in);
            Consumer<XdrWriter> lookupArgs = acl.filterKind() == ObjectKind.SECRET
                ? out -> out.writeUuid(UUID.fromString(name))
                : out -> out.writeFixedOpaque(parent).writeString(name);
            Map<String, String> object = calls.lookup(client, acl.filterKind(), acl.helper(), lookupArgs);
            if (object != null && visible.test(object)) {
                kept.writeString(name);
                keptCount++;
            }
        }
        return new XdrWriter().writeInt(keptCount).writeFixedOpaque(kept.toByteArray()).toByteArray();
    }

    /** { int ids<> }: each resolved through DOMAIN_LOOKUP_BY_ID. */
    private byte[] ids(byte[] reply, int maxids) {
        XdrReader in = new XdrReader(reply);
        int count = in.readInt();
        XdrWriter kept = new XdrWriter();
        int keptCount = 0;
        for (int i = 0; i < count && keptCount < maxids; i++) {
            int id = in.readInt();
            Map<String, String> object = calls.lookup(client, ObjectKind.DOMAIN, RemoteProcedure.DOMAIN_LOOKUP_BY_ID,
                out -> out.writeInt(id));
            if (object != null && visible.test(object)) {
                kept.writeInt(id);
                keptCount++;
            }
        }
        return new XdrWriter().writeInt(keptCount).writeFixedOpaque(kept.toByteArray()).toByteArray();
    }

    /**
     * { int num }: the length of the filtered list the count stands for. The list takes the count's arguments
     * and maxnames, after them or, where the count's end in flags (NODE_NUM_OF_DEVICES), before the flags.
     */
    private byte[] count(ProcedureAcl acl, byte[] args) {
        int split = acl.procedure() == RemoteProcedure.NODE_NUM_OF_DEVICES ? args.length - 4 : args.length;
        byte[] listArgs = new XdrWriter().writeFixedOpaque(args, 0, split).writeInt(MAX_NAMES)
            .writeFixedOpaque(args, split, args.length - split).toByteArray();
        ProcedureAcl list = ProcedureAcl.of(acl.helper());
        byte[] listed = calls.call(client, acl.helper(), out -> out.writeFixedOpaque(listArgs));
        int visibleCount = new XdrReader(list.shape() == ProcedureAcl.ListShape.IDS ? ids(listed, MAX_NAMES)
            : names(list, listArgs, listed, MAX_NAMES)).readInt();
        return new XdrWriter().writeInt(visibleCount).toByteArray();
    }

    /** { remote_domain_stats_record retStats<> }, each { dom; params<> }: records of domains the client may read. */
    private byte[] stats(byte[] reply) {
        XdrReader in = new XdrReader(reply);
        int count = in.readInt();
        XdrWriter kept = new XdrWriter();
        int keptCount = 0;
        for (int i = 0; i < count; i++) {
            int start = reply.length - in.remaining();
            Map<String, String> object = ObjectKind.DOMAIN.read(in);
            skipTypedParams(in);
            int end = reply.length - in.remaining();
            if (visible.test(object)) {
                kept.writeFixedOpaque(reply, start, end - start);
                keptCount++;
            }
        }
        return new XdrWriter().writeInt(keptCount).writeFixedOpaque(kept.toByteArray()).toByteArray();
    }

    /** remote_typed_param<>: { field; union value switch (int type) }, libvirt's VIR_TYPED_PARAM_* numbers. */
    private static void skipTypedParams(XdrReader in) {
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            Types.readString(in);
            switch (in.readInt()) {
                case 1, 2, 6 -> in.readInt();
                case 3, 4, 5 -> in.readHyper();
                case 7 -> Types.readString(in);
                default -> throw new org.jvirtd.rpc.xdr.XdrException("unknown typed parameter type");
            }
        }
    }

    /** The bytes of the reference that is the call's first argument. */
    private static byte[] firstReference(ObjectKind kind, byte[] args) {
        XdrReader in = new XdrReader(args);
        kind.read(in);
        return Arrays.copyOf(args, args.length - in.remaining());
    }
}
