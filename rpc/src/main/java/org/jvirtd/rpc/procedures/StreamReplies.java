package org.jvirtd.rpc.procedures;

import java.nio.ByteBuffer;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.rpc.dispatch.RpcErrors;
import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.RemoteError;

/** The STREAM packets the daemon sends on a volume stream: data, end of data, confirmation and error. */
final class StreamReplies {
    private StreamReplies() {
    }

    /** STREAM CONTINUE with raw bytes; an empty one tells the client the data ended. */
    static ByteBuffer data(Header call, byte[] data, int length) {
        return Packet.encodeRaw(call.stream(MessageStatus.CONTINUE), data, 0, length);
    }

    /** The empty STREAM OK that confirms the client's finish or abort. */
    static ByteBuffer confirm(Header call) {
        return Packet.encode(call.stream(MessageStatus.OK), null);
    }

    /** STREAM ERROR with the remote_error of a failure while moving the data. */
    static ByteBuffer error(Header call, Exception failure) {
        RemoteError error = failure instanceof VirtException e ? RpcErrors.toRemote(e)
            : RpcErrors.build(ErrorCode.SYSTEM_ERROR, ErrorDomain.STREAMS.number(),
                "stream I/O failed: " + failure.getMessage());
        return Packet.encode(call.stream(MessageStatus.ERROR), error::write);
    }

    /** Runs blocking stream work (a flush, a volume read) off the selector and worker threads. */
    static void background(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }
}
