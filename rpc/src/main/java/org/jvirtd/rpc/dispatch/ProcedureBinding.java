package org.jvirtd.rpc.dispatch;

import java.util.function.BiConsumer;
import java.util.function.Function;

import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * A table row made runnable: the procedure, its argument decoder and reply encoder, the connection
 * it needs and its handler.
 */
public record ProcedureBinding<A, R>(RemoteProcedure procedure, Function<XdrReader, A> args,
                                     BiConsumer<XdrWriter, R> ret, ConnectionScope scope, Handler<A, R> handler) {
}
