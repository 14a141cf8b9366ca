package org.jvirtd.core.internal;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP, libvirtd's "reload your configuration", routed to one action. The JDK offers signals only
 * through sun.misc (module jdk.unsupported), which the framework exports.
 */
final class HangupSignal {
    private static final Signal HUP = new Signal("HUP");
    private static SignalHandler previous;

    private HangupSignal() {
    }

    static synchronized void install(Runnable action) {
        SignalHandler old = Signal.handle(HUP, signal -> action.run());
        if (previous == null) {
            previous = old;
        }
    }

    static synchronized void uninstall() {
        if (previous != null) {
            Signal.handle(HUP, previous);
            previous = null;
        }
    }
}
