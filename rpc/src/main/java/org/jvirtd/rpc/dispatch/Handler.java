package org.jvirtd.rpc.dispatch;

/** Carries out one procedure with decoded arguments and returns what goes into the reply. */
@FunctionalInterface
public interface Handler<A, R> {
    R handle(Call call, A args);
}
