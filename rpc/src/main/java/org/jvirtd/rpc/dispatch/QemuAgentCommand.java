package org.jvirtd.rpc.dispatch;

import java.nio.ByteBuffer;

import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.xdr.XdrException;
import org.jvirtd.rpc.xdr.XdrReader;

/**
 * QEMU_PROC_DOMAIN_AGENT_COMMAND (virsh qemu-agent-command) of the QEMU program: args { remote_nonnull_domain
 * dom; remote_nonnull_string cmd; int timeout; unsigned int flags }, reply { remote_string result }. The
 * program's other procedures keep {@link HypervisorPrograms}' answers.
 */
final class QemuAgentCommand {
    private static final int PROCEDURE = 3;
    private static final String API = "virDomainQemuAgentCommand";

    private QemuAgentCommand() {
    }

    /** Whether this call is the agent command on an open, writable connection (the others get the usual errors). */
    static boolean handles(ClientState client, Header header) {
        return header.program() == Protocol.QEMU_PROGRAM && header.procedure() == PROCEDURE
            && client.connection() != null && !client.readOnly();
    }

    static ByteBuffer run(ClientState client, Packet packet) {
        Header header = packet.header();
        DomainRef dom;
        String command;
        int timeout;
        int flags;
        try {
            XdrReader in = packet.payload();
            dom = Types.readDomain(in);
            command = Types.readString(in);
            timeout = in.readInt();
            flags = in.readInt();
        } catch (XdrException e) {
            return Dispatcher.error(header, RpcErrors.rpc("Unable to decode message payload"));
        }
        try {
            String result = client.connection().agentCommand(dom, command, timeout, flags);
            return Packet.encode(header.reply(MessageStatus.OK), out -> Types.writeOptionalString(out, result));
        } catch (VirtException e) {
            return Dispatcher.error(header, RpcErrors.toRemote(e, API));
        }
    }
}
