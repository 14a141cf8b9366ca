package org.jvirtd.itests;

import static org.awaitility.Awaitility.await;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.inject.Inject;

import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * What every jvirtd Pax Exam test shares: the bundle set of the distribution in a fresh Felix with its
 * own state root, service lookups that wait, bundle updates from rewritten jars.
 */
public abstract class JvirtdTestSupport {
    /** Grace period of these tests' daemon config, in seconds. */
    static final int GRACE_SECONDS = 4;

    @Inject
    protected BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        String bundles = System.getProperty("jvirtd.bundles.dir");
        Path work = Path.of(System.getProperty("jvirtd.itest.dir"));
        Files.createDirectories(work);
        Path root = Files.createTempDirectory(work, "root");
        Path config = root.resolve("jvirtd.conf");
        Files.writeString(config, "# itest daemon\ndriver_grace_period = " + GRACE_SECONDS + "\nmax_workers = 4\n");
        return options(
            systemProperty("jvirtd.bundles.dir").value(bundles),
            frameworkProperty("jvirtd.root").value(root.toString()),
            frameworkProperty("jvirtd.config").value(config.toString()),
            mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
            mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
            mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
            mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
            mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime").versionAsInProject(),
            mavenBundle("net.java.dev.jna", "jna").versionAsInProject(),
            mavenBundle("org.hamcrest", "hamcrest").versionAsInProject(),
            mavenBundle("org.awaitility", "awaitility").versionAsInProject(),
            reactorBundle(bundles, "jvirtd-api"),
            reactorBundle(bundles, "jvirtd-model"),
            reactorBundle(bundles, "jvirtd-platform"),
            reactorBundle(bundles, "jvirtd-core"),
            reactorBundle(bundles, "jvirtd-shell"),
            reactorBundle(bundles, "jvirtd-driver-test"),
            reactorBundle(bundles, "jvirtd-storage-core"),
            reactorBundle(bundles, "jvirtd-storage-dir"),
            reactorBundle(bundles, "jvirtd-secret"),
            reactorBundle(bundles, "jvirtd-nwfilter"),
            reactorBundle(bundles, "jvirtd-nodedev"),
            reactorBundle(bundles, "jvirtd-interface"),
            junitBundles());
    }

    private static Option reactorBundle(String dir, String name) {
        return org.ops4j.pax.exam.CoreOptions.bundle(new File(dir, name + ".jar").toURI().toString());
    }

    protected <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            T service = tracker.waitForService(TimeUnit.SECONDS.toMillis(15));
            if (service == null) {
                throw new AssertionError("no " + type.getName() + " service within 15 s");
            }
            return service;
        } finally {
            tracker.close();
        }
    }

    protected Bundle installed(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }

    /** A copy of a reactor bundle with its Bundle-Version rewritten, as a new release would be. */
    protected File withVersion(String name, String version) throws IOException {
        File source = new File(System.getProperty("jvirtd.bundles.dir"), name + ".jar");
        File target = File.createTempFile(name + "-" + version + "-", ".jar");
        target.deleteOnExit();
        try (JarInputStream in = new JarInputStream(new FileInputStream(source))) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            try (JarOutputStream out = new JarOutputStream(new FileOutputStream(target), manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return target;
    }

    /** Updates a bundle from a jar and waits until the framework has refreshed its wiring. */
    protected void updateAndRefresh(Bundle bundle, File jar) throws Exception {
        try (InputStream in = new FileInputStream(jar)) {
            bundle.update(in);
        }
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        if (!refreshed.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("refresh of " + bundle.getSymbolicName() + " did not finish within 30 s");
        }
    }

    /** Waits until a condition holds, polling; fails with the message after the timeout. */
    protected static void eventually(String message, long timeoutMillis, BooleanSupplier condition) {
        await(message).atMost(Duration.ofMillis(timeoutMillis)).pollInterval(Duration.ofMillis(20))
            .until(condition::getAsBoolean);
    }
}
