package org.jvirtd.driver.xen.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * Whether this host can run Xen guests: a running Xen hypervisor with this system as its control domain (dom0,
 * which {@code /proc/xen/capabilities} says with "control_d", the file libvirt's libxl driver checks) and the
 * {@code xl} toolstack on the PATH. A call that needs Xen fails with {@link #unavailable}. The environment variable
 * {@value #CAPABILITIES_VARIABLE} names another file to read instead of /proc/xen/capabilities: how the tests run
 * the daemon against a recorded xl on a host without Xen.
 */
final class XenHost {
    static final Path CAPABILITIES = Path.of("/proc/xen/capabilities");
    static final String CAPABILITIES_VARIABLE = "JVIRTD_XEN_CAPABILITIES";

    private final Path capabilities;
    private final String path;

    XenHost(Path capabilities, String path) {
        this.capabilities = capabilities;
        this.path = path == null ? "" : path;
    }

    static XenHost system() {
        String file = System.getenv(CAPABILITIES_VARIABLE);
        return new XenHost(file == null || file.isEmpty() ? CAPABILITIES : Path.of(file), System.getenv("PATH"));
    }

    /** What is missing for Xen guests to run here, or null when nothing is. */
    String missing() {
        String dom0;
        try {
            dom0 = Files.isRegularFile(capabilities) ? Files.readString(capabilities) : null;
        } catch (IOException e) {
            dom0 = null;
        }
        if (dom0 == null) {
            return "no running Xen hypervisor (" + capabilities + " does not exist)";
        }
        if (!dom0.contains("control_d")) {
            return "this host is not the Xen control domain (" + capabilities + " does not say control_d)";
        }
        if (!hasXl()) {
            return "the xl toolstack is not installed (no xl on PATH)";
        }
        return null;
    }

    private boolean hasXl() {
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "xl"))) {
                return true;
            }
        }
        return false;
    }

    /** Fails {@code api} with {@link #unavailable} unless this host runs Xen guests. */
    void require(String api) {
        String missing = missing();
        if (missing != null) {
            throw unavailable(api, missing);
        }
    }

    /** The error for {@code api} on a host that lacks what {@link #missing} names. */
    VirtException unavailable(String api) {
        return unavailable(api, missing());
    }

    private static VirtException unavailable(String api, String missing) {
        return new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.LIBXL,
            api + " needs Xen, and this host has " + missing + "; only domain XML conversion (xen-xl) works"
                + " without it");
    }
}
