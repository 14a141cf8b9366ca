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
 * {@code xl} toolstack on the PATH. A call that needs Xen fails with {@link #unavailable}.
 */
final class XenHost {
    static final Path CAPABILITIES = Path.of("/proc/xen/capabilities");

    private final Path capabilities;
    private final String path;

    XenHost(Path capabilities, String path) {
        this.capabilities = capabilities;
        this.path = path == null ? "" : path;
    }

    static XenHost system() {
        return new XenHost(CAPABILITIES, System.getenv("PATH"));
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

    /**
     * The error for {@code api} on this host: what is missing for Xen, or, on a Xen host, that the calls that
     * would drive {@code xl} are not written yet.
     */
    VirtException unavailable(String api) {
        String missing = missing();
        if (missing != null) {
            return new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.LIBXL,
                api + " needs Xen, and this host has " + missing + "; only domain XML conversion (xen-xl) works"
                    + " without it");
        }
        return new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.LIBXL,
            api + " through the xl toolstack is not implemented by jvirtd yet");
    }
}
