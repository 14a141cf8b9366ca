package org.jvirtd.rpc.dispatch;

import java.nio.ByteBuffer;
import java.util.List;

import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.MessageType;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.xdr.XdrException;
import org.jvirtd.rpc.xdr.XdrReader;

/**
 * LXC_DOMAIN_OPEN_NAMESPACE (virDomainLxcOpenNamespace, what {@code virsh lxc-enter-namespace} calls): the
 * driver names the container's namespace files, and the reply is a REPLY_WITH_FDS whose payload is the number
 * of descriptors, followed on the socket by the descriptors themselves.
 */
final class LxcOpenNamespace {
    static final int PROCEDURE = 1;
    private static final String API = "virDomainLxcOpenNamespace";

    private LxcOpenNamespace() {
    }

    static boolean handles(Header header) {
        return header.program() == Protocol.LXC_PROGRAM && header.procedure() == PROCEDURE;
    }

    /** The reply, or null when it was queued with its descriptors already. */
    static ByteBuffer run(ClientState client, Packet call) {
        Header header = call.header();
        // only libvirt's LXC driver has the API: other connections get libvirt's "not supported" before any lookup
        if (client.connection() == null || client.readOnly()
            || !"lxc".equals(client.connection().uri().getScheme())) {
            return Dispatcher.error(header, HypervisorPrograms.answer(client, call));
        }
        DomainRef domain;
        int flags;
        try {
            XdrReader in = call.payload();
            domain = Types.readDomain(in);
            flags = in.readInt();
        } catch (XdrException e) {
            return Dispatcher.error(header, RpcErrors.rpc("Unable to decode message payload"));
        }
        int[] fds;
        try {
            List<java.nio.file.Path> files = client.connection().lxcOpenNamespace(domain, flags);
            fds = openFiles(files);
        } catch (VirtException e) {
            return Dispatcher.error(header, RpcErrors.toRemote(e, API));
        }
        Header reply = new Header(header.program(), header.version(), header.procedure(), MessageType.REPLY_WITH_FDS,
            header.serial(), MessageStatus.OK);
        int count = fds.length;
        try {
            client.outbox().sendWithFds(Packet.encode(reply, out -> out.writeInt(count)), fds);
        } catch (UnsupportedOperationException e) {
            return Dispatcher.error(header, RpcErrors.internal(e.getMessage()));
        }
        return null;
    }

    private static int[] openFiles(List<java.nio.file.Path> files) {
        try {
            return DescriptorFiles.open(files);
        } catch (java.io.IOException e) {
            throw org.jvirtd.api.VirtErrors.system(org.jvirtd.api.ErrorDomain.NONE, e.getMessage(), e);
        }
    }
}
