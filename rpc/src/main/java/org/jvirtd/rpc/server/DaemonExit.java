package org.jvirtd.rpc.server;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Stops the whole daemon when it cannot serve: the message goes to the log, the launcher exits with
 * libvirtd's status for failed sockets (VIR_DAEMON_ERR_NETWORK, 6) through the jvirtd.exit.status
 * property core's launcher reads.
 */
final class DaemonExit {
    static final String EXIT_STATUS_PROPERTY = "jvirtd.exit.status";
    static final int NETWORK_FAILURE = 6;
    private static final System.Logger LOG = System.getLogger(DaemonExit.class.getName());

    private DaemonExit() {
    }

    static void fail(BundleContext context, String message) {
        LOG.log(System.Logger.Level.ERROR, message);
        System.setProperty(EXIT_STATUS_PROPERTY, String.valueOf(NETWORK_FAILURE));
        // stopping the framework from inside an SCR activation would deadlock; let a thread do it
        Thread stopper = new Thread(() -> {
            try {
                context.getBundle(0).stop();
            } catch (BundleException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot stop the daemon", e);
            }
        }, "jvirtd-rpc-failure");
        stopper.start();
    }
}
