package org.jvirtd.rpc.server;

import java.nio.ByteBuffer;

import org.jvirtd.rpc.dispatch.ClientState;
import org.jvirtd.rpc.dispatch.Dispatcher;
import org.jvirtd.rpc.dispatch.Priority;
import org.jvirtd.rpc.dispatch.RpcErrors;
import org.jvirtd.rpc.wire.Packet;

/** The RPC program a server answers calls of: REMOTE on libvirt-sock, ADMIN on libvirt-admin-sock. */
public interface Program {
    /** The program number calls must carry (version is always 1). */
    int number();

    /** Whether calls of {@code program} come here; REMOTE brings the QEMU and LXC programs along, as in libvirtd. */
    default boolean serves(int program) {
        return program == number();
    }

    Priority priority(int procedure);

    /** Whether a call of {@code program} and {@code procedure} may run on the I/O thread: it never waits. */
    default boolean answersAtOnce(int program, int procedure) {
        return false;
    }

    /** Runs one CALL and returns its reply packet. */
    ByteBuffer dispatch(ClientState client, Packet call);

    /** The error reply to a CALL_WITH_FDS (file descriptors cannot be received here). */
    default ByteBuffer refuseWithFiles(ClientState client, Packet call) {
        return Dispatcher.error(call.header(), RpcErrors.unknownProcedure(call.header().procedure()));
    }

    /** The REMOTE program served by the procedure dispatcher. */
    static Program remote(Dispatcher dispatcher) {
        return new Program() {
            @Override
            public int number() {
                return org.jvirtd.rpc.wire.Protocol.REMOTE_PROGRAM;
            }

            @Override
            public boolean serves(int program) {
                return dispatcher.serves(program);
            }

            @Override
            public Priority priority(int procedure) {
                return dispatcher.priority(procedure);
            }

            @Override
            public boolean answersAtOnce(int program, int procedure) {
                return dispatcher.answersAtOnce(program, procedure);
            }

            @Override
            public ByteBuffer dispatch(ClientState client, Packet call) {
                return dispatcher.dispatch(client, call);
            }

            @Override
            public ByteBuffer refuseWithFiles(ClientState client, Packet call) {
                return dispatcher.refuseWithFiles(client, call);
            }
        };
    }
}
