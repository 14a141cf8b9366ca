package org.jvirtd.rpc.access;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.platform.net.UnixPeer;
import org.jvirtd.rpc.access.ProcedureAcl.ObjectSource;
import org.jvirtd.rpc.dispatch.ClientState;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.xdr.XdrException;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The access manager the dispatcher consults on every call: before the handler, the permissions the procedure
 * needs on its object (read from the call's arguments, or from the definition it carries); after it, those on
 * the object a lookup found, and the filtering of list answers to the objects the client may see. The object's
 * attributes are the daemon's, not the client's: a reference is resolved through the lookup procedures, so a
 * name that does not go with the UUID gains nothing. Denials read as libvirt's: "access denied: 'QEMU' denied
 * access" (VIR_ERR_ACCESS_DENIED from the access manager). With only the "nop" driver nothing is checked.
 */
public final class AccessControl {
    private static final Permission CONNECT_GETATTR = new Permission("connect", "getattr");
    private final List<AccessDriver> drivers;
    private final InternalCalls calls;

    /**
     * @param drivers the drivers that decide (empty: "nop", everything permitted)
     * @param table   the procedures, run directly to resolve references and to count
     */
    public AccessControl(List<AccessDriver> drivers, ProcedureTable table) {
        this.drivers = List.copyOf(drivers);
        this.calls = new InternalCalls(table);
    }

    /** Only "nop": no check at all. */
    public static AccessControl permitAll(ProcedureTable table) {
        return new AccessControl(List.of(), table);
    }

    public boolean checksNothing() {
        return drivers.isEmpty();
    }

    /**
     * The checks before the handler runs.
     *
     * @throws VirtException access denied
     */
    public void beforeCall(ClientState client, RemoteProcedure procedure, Packet packet) {
        ProcedureAcl acl = rule(client, procedure);
        if (acl == null) {
            return;
        }
        byte[] args = payload(packet);
        List<Map<String, String>> objects = switch (acl.source()) {
            case CONNECT, REPLY -> List.of();
            case UNKNOWN -> List.of(Map.of());
            case ARG -> resolve(client, acl.kind(), new XdrReader(args));
            case SNAPSHOT_ARG -> {
                XdrReader in = new XdrReader(args);
                Types.readString(in);
                yield resolve(client, ObjectKind.DOMAIN, in);
            }
            case XML -> List.of(DefinitionAttributes.of(acl.kind(), Types.readString(new XdrReader(args))));
            case ARG_XML -> List.of(childOf(client, acl.kind(), new XdrReader(args)));
        };
        int flags = args.length >= 4 ? new XdrReader(args, args.length - 4, 4).readInt() : 0;
        int source = args.length >= 8 ? new XdrReader(args, args.length - 8, 4).readInt() : -1;
        String driver = driverName(client);
        for (AclCheck check : acl.checks()) {
            if (!check.applies(flags, source)) {
                continue;
            }
            if (check.permission().onConnect()) {
                require(client, driver, check.permission(), Map.of());
            } else {
                for (Map<String, String> object : objects) {
                    require(client, driver, check.permission(), object);
                }
            }
        }
    }

    /**
     * The check of a QEMU or LXC program call on a domain, its first argument (libvirt's qemu_protocol.x and
     * lxc_protocol.x: qemu-agent-command needs domain:write, lxc-enter-namespace domain:open_namespace). Arguments
     * that cannot be read are left to the call, which reports them.
     *
     * @throws VirtException access denied
     */
    public void beforeDomainCall(ClientState client, Permission permission, Packet packet) {
        if (drivers.isEmpty() || client.connection() == null) {
            return;
        }
        List<Map<String, String>> objects;
        try {
            objects = resolve(client, ObjectKind.DOMAIN, packet.payload());
        } catch (XdrException e) {
            return;
        }
        String driver = driverName(client);
        for (Map<String, String> object : objects) {
            require(client, driver, permission, object);
        }
    }

    /**
     * The checks on what the handler answered: the object a lookup found (denied: the reply becomes the error),
     * and list answers cut to the objects the client may see.
     *
     * @return the reply to send, {@code reply} itself when nothing was filtered
     * @throws VirtException access denied
     */
    public ByteBuffer afterCall(ClientState client, RemoteProcedure procedure, Packet packet, ByteBuffer reply) {
        if (procedure == RemoteProcedure.CONNECT_OPEN && !drivers.isEmpty() && client.connection() != null) {
            // libvirt's open checks connect:getattr once the driver is known; refused, nothing stays open
            String driver = driverName(client);
            if (!permits(client, driver, CONNECT_GETATTR, Map.of())) {
                client.withdrawOpen();
                throw new VirtException(ErrorCode.ACCESS_DENIED, ErrorDomain.ACCESS, "'" + driver + "' denied access");
            }
            return reply;
        }
        ProcedureAcl acl = rule(client, procedure);
        if (acl == null || (acl.source() != ObjectSource.REPLY && acl.shape() == null)) {
            return reply;
        }
        String driver = driverName(client);
        if (acl.source() == ObjectSource.REPLY) {
            Map<String, String> object = attributes(client, acl.kind(), replyPayload(reply));
            for (AclCheck check : acl.checks()) {
                require(client, driver, check.permission(), object);
            }
        }
        if (acl.shape() == ProcedureAcl.ListShape.EVENTS) {
            restrictEvents(client, driver, acl.filter());
            return reply;
        }
        if (acl.shape() == null) {
            return reply;
        }
        ListFilter filter = new ListFilter(calls, client, object -> permits(client, driver, acl.filter(), object));
        byte[] filtered = filter.apply(acl, payload(packet), replyPayload(reply));
        return Packet.encode(packet.header().reply(org.jvirtd.rpc.wire.MessageStatus.OK),
            out -> out.writeFixedOpaque(filtered));
    }

    /** Once a client registers for events, it gets those of the objects it may see only, as libvirtd sends them. */
    private void restrictEvents(ClientState client, String driver, Permission permission) {
        switch (ObjectKind.of(permission.object())) {
            case DOMAIN -> client.events().restrictTo(domain -> permits(client, driver, permission,
                attributes(ObjectKind.DOMAIN, out -> Types.writeDomain(out, domain))));
            case NETWORK -> client.networkEvents().restrictTo(network -> permits(client, driver, permission,
                attributes(ObjectKind.NETWORK, out -> Types.writeNetwork(out, network))));
            case STORAGE_POOL -> client.poolEvents().restrictTo(event -> permits(client, driver, permission,
                attributes(ObjectKind.STORAGE_POOL, out -> Types.writePool(out, event.pool()))));
            case SECRET -> client.secretEvents().restrictTo(event -> permits(client, driver, permission,
                attributes(ObjectKind.SECRET, out -> Types.writeSecret(out, event.secret()))));
            default -> { }
        }
    }

    /** An object's attributes from its reference, written as the protocol writes it. */
    private static Map<String, String> attributes(ObjectKind kind, java.util.function.Consumer<XdrWriter> reference) {
        XdrWriter out = new XdrWriter();
        reference.accept(out);
        return kind.read(new XdrReader(out.toByteArray()));
    }

    private ProcedureAcl rule(ClientState client, RemoteProcedure procedure) {
        if (drivers.isEmpty() || client.connection() == null || procedure == RemoteProcedure.CONNECT_OPEN) {
            return null;
        }
        return ProcedureAcl.of(procedure);
    }

    private void require(ClientState client, String driver, Permission permission, Map<String, String> object) {
        if (!permits(client, driver, permission, object)) {
            throw new VirtException(ErrorCode.ACCESS_DENIED, ErrorDomain.ACCESS, "'" + driver + "' denied access");
        }
    }

    private boolean permits(ClientState client, String driver, Permission permission, Map<String, String> object) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("connect_driver", driver);
        attributes.putAll(object);
        UnixPeer subject = client.auth().unixPeer();
        for (AccessDriver accessDriver : drivers) {
            if (!accessDriver.permits(subject, permission, attributes)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The object a reference names, as the daemon knows it: resolved by UUID where it has one. When the
     * client's name is not the resolved one, both are checked, so whichever a handler acts on was permitted;
     * one that cannot be resolved is checked as the client named it (the handler will not find it).
     */
    private List<Map<String, String>> resolve(ClientState client, ObjectKind kind, XdrReader in) {
        Map<String, String> claimed = kind.read(in);
        Map<String, String> known = calls.resolve(client, kind, claimed);
        if (known == null || known.equals(claimed)) {
            return List.of(known == null ? claimed : known);
        }
        return List.of(known, claimed);
    }

    /** The attributes of a reference the daemon answered with: its own, only the pool's UUID is added. */
    private Map<String, String> attributes(ClientState client, ObjectKind kind, byte[] payload) {
        Map<String, String> object = kind.read(new XdrReader(payload));
        if (kind == ObjectKind.STORAGE_VOL) {
            object = calls.withPoolUuid(client, object);
        }
        return object;
    }

    /** A new volume in a pool, a new port on a network: the parent's attributes with the child's definition's. */
    private Map<String, String> childOf(ClientState client, ObjectKind kind, XdrReader in) {
        ObjectKind parent = kind == ObjectKind.STORAGE_VOL ? ObjectKind.STORAGE_POOL : ObjectKind.NETWORK;
        List<Map<String, String>> parents = resolve(client, parent, in);
        Map<String, String> object = new LinkedHashMap<>(parents.get(0));
        object.putAll(DefinitionAttributes.of(kind, Types.readString(in)));
        return object;
    }

    /** connect_driver: the name of the hypervisor driver the client's connection is open on ("QEMU"). */
    private static String driverName(ClientState client) {
        Connection connection = client.connection();
        return connection == null ? "" : connection.type();
    }

    private static byte[] payload(Packet packet) {
        byte[] body = packet.body();
        byte[] args = new byte[packet.payloadLength()];
        System.arraycopy(body, Protocol.HEADER_SIZE, args, 0, args.length);
        return args;
    }

    private static byte[] replyPayload(ByteBuffer reply) {
        int start = reply.position() + Protocol.LENGTH_WORD + Protocol.HEADER_SIZE;
        byte[] payload = new byte[reply.limit() - start];
        reply.duplicate().position(start).get(payload);
        return payload;
    }
}
