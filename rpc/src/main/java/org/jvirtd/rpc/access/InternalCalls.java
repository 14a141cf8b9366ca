package org.jvirtd.rpc.access;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.jvirtd.api.VirtException;
import org.jvirtd.rpc.dispatch.Call;
import org.jvirtd.rpc.dispatch.ClientState;
import org.jvirtd.rpc.dispatch.ProcedureBinding;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.MessageType;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.xdr.XdrException;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * Runs procedures for the access manager, straight through their handlers on the client's connection and
 * without checks of their own: the lookups that tell what a reference names, and the lists a count is made of.
 */
final class InternalCalls {
    private final ProcedureTable table;

    InternalCalls(ProcedureTable table) {
        this.table = table;
    }

    /**
     * A procedure's reply payload.
     *
     * @throws VirtException as the handler fails, or "not supported" when jvirtd does not implement it
     */
    byte[] call(ClientState client, RemoteProcedure procedure, Consumer<XdrWriter> args) {
        ProcedureBinding<?, ?> binding = table.binding(procedure);
        if (binding == null) {
            throw org.jvirtd.api.VirtErrors.noSupport(procedure.api());
        }
        XdrWriter out = new XdrWriter();
        args.accept(out);
        return run(binding, client, out.toByteArray());
    }

    private static <A, R> byte[] run(ProcedureBinding<A, R> binding, ClientState client, byte[] args) {
        A decoded = binding.args().apply(new XdrReader(args));
        Header header = new Header(Protocol.REMOTE_PROGRAM, Protocol.VERSION, binding.procedure().number(),
            MessageType.CALL, 0, MessageStatus.OK);
        R result = binding.handler().handle(new Call(client, header), decoded);
        XdrWriter reply = new XdrWriter();
        binding.ret().accept(reply, result);
        return reply.toByteArray();
    }

    /** A lookup's answer as attributes, null when the object is not there. */
    Map<String, String> lookup(ClientState client, ObjectKind kind, RemoteProcedure lookup,
                               Consumer<XdrWriter> args) {
        try {
            Map<String, String> found = kind.read(new XdrReader(call(client, lookup, args)));
            return kind == ObjectKind.STORAGE_VOL ? withPoolUuid(client, found) : found;
        } catch (VirtException | XdrException e) {
            return null;
        }
    }

    /**
     * The daemon's attributes of the object a client's reference names: by UUID where the kind has one, by name
     * otherwise; null when it cannot be found.
     */
    Map<String, String> resolve(ClientState client, ObjectKind kind, Map<String, String> claimed) {
        return switch (kind) {
            case DOMAIN -> lookup(client, kind, RemoteProcedure.DOMAIN_LOOKUP_BY_UUID,
                out -> out.writeUuid(UUID.fromString(claimed.get("domain_uuid"))));
            case NETWORK -> lookup(client, kind, RemoteProcedure.NETWORK_LOOKUP_BY_UUID,
                out -> out.writeUuid(UUID.fromString(claimed.get("network_uuid"))));
            case NETWORK_PORT -> {
                Map<String, String> network = resolve(client, ObjectKind.NETWORK, claimed);
                if (network == null) {
                    yield null;
                }
                Map<String, String> port = new LinkedHashMap<>(network);
                port.put("port_uuid", claimed.get("port_uuid"));
                yield port;
            }
            case STORAGE_POOL -> lookup(client, kind, RemoteProcedure.STORAGE_POOL_LOOKUP_BY_UUID,
                out -> out.writeUuid(UUID.fromString(claimed.get("pool_uuid"))));
            case STORAGE_VOL -> withPoolUuid(client, claimed);
            case NWFILTER -> lookup(client, kind, RemoteProcedure.NWFILTER_LOOKUP_BY_UUID,
                out -> out.writeUuid(UUID.fromString(claimed.get("nwfilter_uuid"))));
            case SECRET -> lookup(client, kind, RemoteProcedure.SECRET_LOOKUP_BY_UUID,
                out -> out.writeUuid(UUID.fromString(claimed.get("secret_uuid"))));
            case INTERFACE -> lookup(client, kind, RemoteProcedure.INTERFACE_LOOKUP_BY_NAME,
                out -> out.writeString(claimed.get("interface_name")));
            case NWFILTER_BINDING -> lookup(client, kind, RemoteProcedure.NWFILTER_BINDING_LOOKUP_BY_PORT_DEV,
                out -> out.writeString(claimed.get("nwfilter_binding_portdev")));
            case NODE_DEVICE -> claimed;
        };
    }

    /** A volume's attributes with its pool's UUID in libvirt's place (after pool_name), when the pool is there. */
    Map<String, String> withPoolUuid(ClientState client, Map<String, String> volume) {
        Map<String, String> pool = lookup(client, ObjectKind.STORAGE_POOL, RemoteProcedure.STORAGE_POOL_LOOKUP_BY_NAME,
            out -> out.writeString(volume.get("pool_name")));
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("pool_name", volume.get("pool_name"));
        if (pool != null) {
            attributes.put("pool_uuid", pool.get("pool_uuid"));
        }
        attributes.putAll(volume);
        return attributes;
    }
}
