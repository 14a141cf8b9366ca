package org.jvirtd.launcher;

import java.io.IOException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.felix.main.AutoProcessor;
import org.apache.felix.main.Main;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Runs Felix with the distribution's config: installs the bundle folder, starts the framework, writes
 * the pid file once every start level is reached, stops cleanly on SIGTERM and waits for the end.
 */
final class FelixRunner {
    private static final long STOP_TIMEOUT_MILLIS = 30_000;

    int run(PidFile pidFile, BundleCache cache) throws IOException, BundleException, InterruptedException {
        Map<String, String> config = Main.loadConfigProperties();
        Main.copySystemProperties(config);
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        Framework framework = factory.newFramework(config);
        framework.init();
        cache.seal();
        AutoProcessor.process(config, framework.getBundleContext());
        CountDownLatch started = new CountDownLatch(1);
        framework.getBundleContext().addFrameworkListener(event -> {
            if (event.getType() == FrameworkEvent.STARTED) {
                started.countDown();
            }
        });
        Thread stopper = new Thread(() -> stop(framework, pidFile), "jvirtd-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        framework.start();
        // a bundle may stop the framework while it starts (sockets taken, config unreadable): then no
        // STARTED comes, and there is no pid to publish
        while (!started.await(200, TimeUnit.MILLISECONDS)) {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
                break;
            }
        }
        if (started.getCount() == 0) {
            pidFile.publish();
        }
        FrameworkEvent end = framework.waitForStop(0);
        pidFile.close();
        cache.close();
        if (end.getType() == FrameworkEvent.ERROR) {
            return 1;
        }
        // Core sets this when it stopped the daemon because it could not run (an unreadable config).
        return Integer.getInteger("jvirtd.exit.status", 0);
    }

    private static void stop(Framework framework, PidFile pidFile) {
        try {
            framework.stop();
            framework.waitForStop(STOP_TIMEOUT_MILLIS);
        } catch (BundleException | InterruptedException e) {
            System.err.println("jvirtd: clean stop failed: " + e.getMessage());
        } finally {
            pidFile.close();
        }
    }
}
