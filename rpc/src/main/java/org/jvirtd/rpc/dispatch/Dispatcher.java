package org.jvirtd.rpc.dispatch;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

import org.jvirtd.api.VirtException;
import org.jvirtd.rpc.access.AccessControl;
import org.jvirtd.rpc.access.Permission;
import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.MessageType;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.wire.RemoteError;
import org.jvirtd.rpc.xdr.XdrException;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * Runs one CALL of the REMOTE program in libvirtd's order: known procedure, bounded argument
 * decode, open connection, read-only check, access checks, handler (or "not supported"), and encodes
 * the reply (filtered by the access checks) or the error reply.
 */
public final class Dispatcher {
    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

    /** What lxc-enter-namespace and qemu-agent-command need on their domain (lxc_protocol.x, qemu_protocol.x). */
    private static final Permission OPEN_NAMESPACE = Permission.parse("domain:open_namespace");
    private static final Permission DOMAIN_WRITE = Permission.parse("domain:write");

    private final ProcedureTable table;
    private final AccessControl access;

    /** A dispatcher that checks no access (access_drivers = [ "nop" ]). */
    public Dispatcher(ProcedureTable table) {
        this(table, AccessControl.permitAll(table));
    }

    public Dispatcher(ProcedureTable table, AccessControl access) {
        this.table = table;
        this.access = access;
    }

    /** The worker priority of a call, so the server can pick a pool before decoding anything. */
    public Priority priority(int procedure) {
        RemoteProcedure row = RemoteProcedure.byNumber(procedure);
        return row == null ? Priority.HIGH : row.priority();
    }

    /** Whether a call may run on the I/O thread (see {@link ProcedureTable#answerAtOnce}). */
    public boolean answersAtOnce(int program, int procedure) {
        return program == Protocol.REMOTE_PROGRAM && table.answersAtOnce(procedure);
    }

    /** REMOTE, and the QEMU and LXC programs that libvirtd serves on the same sockets. */
    public boolean serves(int program) {
        return program == Protocol.REMOTE_PROGRAM || HypervisorPrograms.serves(program);
    }

    /**
     * Handles a call and returns the reply packet, ready for the socket; null when the handler queued its reply
     * itself (a reply with file descriptors).
     */
    public ByteBuffer dispatch(ClientState client, Packet packet) {
        Header header = packet.header();
        if (header.program() != Protocol.REMOTE_PROGRAM) {
            if (!client.auth().complete()) {
                return error(header, RpcErrors.authenticationRequired());
            }
            try {
                if (LxcOpenNamespace.handles(header)) {
                    access.beforeDomainCall(client, OPEN_NAMESPACE, packet);
                    return LxcOpenNamespace.run(client, packet);
                }
                if (QemuAgentCommand.handles(client, header)) {
                    access.beforeDomainCall(client, DOMAIN_WRITE, packet);
                    return QemuAgentCommand.run(client, packet);
                }
            } catch (VirtException e) {
                return error(header, RpcErrors.toRemote(e));
            }
            return error(header, HypervisorPrograms.answer(client, packet));
        }
        RemoteProcedure row = RemoteProcedure.byNumber(header.procedure());
        if (row == null || row.kind() != ProcedureKind.CALL) {
            return error(header, RpcErrors.unknownProcedure(header.procedure()));
        }
        if (!client.auth().complete() && !row.authentication()) {
            return error(header, RpcErrors.authenticationRequired());
        }
        ProcedureBinding<?, ?> binding = table.binding(row);
        try {
            if (binding == null) {
                return error(header, unimplemented(client, row));
            }
            return run(client, packet, binding);
        } catch (VirtException e) {
            return error(header, RpcErrors.toRemote(e, row.api()));
        } catch (XdrException e) {
            LOG.log(System.Logger.Level.DEBUG, "reply to " + row + " could not be encoded", e);
            return error(header, RpcErrors.rpc(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "procedure " + row + " failed", e);
            return error(header, RpcErrors.internal(String.valueOf(e.getMessage())));
        }
    }

    /**
     * The answer to a CALL_WITH_FDS: the descriptors travel as SCM_RIGHTS, which Java's unix sockets cannot
     * receive, so no such call can be served; the client learns it as from a driver that lacks the API
     * (or that it is not open, or read-only), instead of waiting forever.
     */
    public ByteBuffer refuseWithFiles(ClientState client, Packet packet) {
        Header header = packet.header();
        if (header.program() != Protocol.REMOTE_PROGRAM) {
            return error(header, client.auth().complete() ? HypervisorPrograms.answer(client, packet)
                : RpcErrors.authenticationRequired());
        }
        RemoteProcedure row = RemoteProcedure.byNumber(header.procedure());
        if (row == null || row.kind() != ProcedureKind.CALL) {
            return error(header, RpcErrors.unknownProcedure(header.procedure()));
        }
        if (!client.auth().complete() && !row.authentication()) {
            return error(header, RpcErrors.authenticationRequired());
        }
        return error(header, unimplemented(client, row));
    }

    private static RemoteError unimplemented(ClientState client, RemoteProcedure row) {
        RemoteError notOpen = notOpen(client, ConnectionScope.of(row));
        if (notOpen != null) {
            return notOpen;
        }
        if (row.readOnly() == ReadOnlyRule.REJECT && client.readOnly()) {
            return RpcErrors.readOnly(row.api());
        }
        return RpcErrors.noSupport(row.api());
    }

    private static RemoteError notOpen(ClientState client, ConnectionScope scope) {
        if (client.connection() != null) {
            return null;
        }
        return switch (scope) {
            case NONE -> null;
            case HYPERVISOR -> RpcErrors.hypervisorNotOpen();
            case SECONDARY -> RpcErrors.notOpen();
        };
    }

    private <A, R> ByteBuffer run(ClientState client, Packet packet, ProcedureBinding<A, R> binding) {
        Header header = packet.header();
        A args;
        try {
            XdrReader in = packet.payload();
            args = binding.args().apply(in);
        } catch (XdrException e) {
            LOG.log(System.Logger.Level.DEBUG, "undecodable arguments for " + binding.procedure(), e);
            return error(header, RpcErrors.rpc("Unable to decode message payload"));
        }
        RemoteError notOpen = notOpen(client, binding.scope());
        if (notOpen != null) {
            return error(header, notOpen);
        }
        RemoteProcedure row = binding.procedure();
        if (row.readOnly() == ReadOnlyRule.REJECT && client.readOnly()) {
            return error(header, RpcErrors.readOnly(row.api()));
        }
        access.beforeCall(client, row, packet);
        R result = binding.handler().handle(new Call(client, header), args);
        if (result instanceof DescriptorReply descriptors) {
            return replyWithFds(client, header, descriptors.fds());
        }
        BiConsumer<XdrWriter, R> ret = binding.ret();
        ByteBuffer reply = access.afterCall(client, row, packet,
            Packet.encode(header.reply(MessageStatus.OK), out -> ret.accept(out, result)));
        if (row.stream() != StreamDirection.NONE) {
            StreamHandle stream = client.streams().get(header.serial());
            if (stream != null) {
                stream.replied(reply);
            }
        }
        return reply;
    }

    /** A REPLY_WITH_FDS queued with its descriptors (null: nothing more to send), or an error. */
    private static ByteBuffer replyWithFds(ClientState client, Header header, int[] fds) {
        Header reply = new Header(header.program(), header.version(), header.procedure(), MessageType.REPLY_WITH_FDS,
            header.serial(), MessageStatus.OK);
        try {
            client.outbox().sendWithFds(Packet.encode(reply, out -> out.writeInt(fds.length)), fds);
            return null;
        } catch (UnsupportedOperationException e) {
            DescriptorFiles.close(fds);
            return error(header, RpcErrors.internal(e.getMessage()));
        }
    }

    public static ByteBuffer error(Header call, RemoteError error) {
        return Packet.encode(call.reply(MessageStatus.ERROR), error::write);
    }
}
