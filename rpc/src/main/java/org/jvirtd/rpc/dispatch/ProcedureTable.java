package org.jvirtd.rpc.dispatch;

import java.util.function.BiConsumer;
import java.util.function.Function;

import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/** The procedures jvirtd implements, bound by the per-area classes; the rest answer "not supported". */
public final class ProcedureTable {
    /** No arguments or an empty reply. */
    public static final Function<XdrReader, Void> NO_ARGS = in -> null;
    public static final BiConsumer<XdrWriter, Object> NO_RET = (out, value) -> { };

    private final ProcedureBinding<?, ?>[] bindings = new ProcedureBinding<?, ?>[512];
    private final boolean[] atOnce = new boolean[512];

    /** Binds a procedure that needs the hypervisor connection. */
    public <A, R> void bind(RemoteProcedure procedure, Function<XdrReader, A> args, BiConsumer<XdrWriter, R> ret,
                            Handler<A, R> handler) {
        bind(procedure, args, ret, ConnectionScope.HYPERVISOR, handler);
    }

    public <A, R> void bind(RemoteProcedure procedure, Function<XdrReader, A> args, BiConsumer<XdrWriter, R> ret,
                            ConnectionScope scope, Handler<A, R> handler) {
        if (procedure.kind() != ProcedureKind.CALL) {
            throw new IllegalArgumentException(procedure + " is an event, not a call");
        }
        if (bindings[procedure.number()] != null) {
            throw new IllegalStateException(procedure + " bound twice");
        }
        bindings[procedure.number()] = new ProcedureBinding<>(procedure, args, ret, scope, handler);
    }

    /**
     * Marks procedures whose handlers answer from memory and never wait (for a driver, an object lock, a
     * process): the server runs them on its I/O thread and spares the hand-over to a worker.
     */
    public void answerAtOnce(RemoteProcedure... procedures) {
        for (RemoteProcedure procedure : procedures) {
            if (bindings[procedure.number()] == null) {
                throw new IllegalStateException(procedure + " is not bound");
            }
            atOnce[procedure.number()] = true;
        }
    }

    /** Whether a call of this procedure number may run on the I/O thread. */
    public boolean answersAtOnce(int procedure) {
        return procedure >= 0 && procedure < atOnce.length && atOnce[procedure];
    }

    /** The binding of a procedure, or null when jvirtd does not implement it. */
    public ProcedureBinding<?, ?> binding(RemoteProcedure procedure) {
        return bindings[procedure.number()];
    }
}
