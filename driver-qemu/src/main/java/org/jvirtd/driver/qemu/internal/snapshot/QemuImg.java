package org.jvirtd.driver.qemu.internal.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;

/** The qemu-img commands of snapshots on images no running QEMU holds, and of overlays for one that does. */
final class QemuImg {
    private static final long TIMEOUT_SECONDS = 120;

    private QemuImg() {
    }

    /** qemu-img snapshot -c (create), -a (apply) or -d (delete) of an internal snapshot. */
    static void snapshot(String action, String name, String image) {
        run(List.of("qemu-img", "snapshot", action, name, image));
    }

    /**
     * A new qcow2 overlay on {@code backing}. With {@code size} (bytes, read with -U while QEMU holds the
     * backing file) the backing file is not opened (-u), so its lock does not stop the create.
     */
    static void createOverlay(String overlay, String backing, String backingFormat, long size) {
        if (size > 0) {
            run(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-F", backingFormat, "-b", backing, "-u", overlay,
                Long.toString(size)));
        } else {
            run(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-F", backingFormat, "-b", backing, overlay));
        }
    }

    /** Writes an overlay's data into its backing image (qemu-img commit, the overlay stays as it is). */
    static void commit(String overlay) {
        run(List.of("qemu-img", "commit", "-q", overlay));
    }

    /** Points an image at another backing file without copying data (qemu-img rebase -u). */
    static void rebaseUnsafe(String image, String backing, String backingFormat) {
        run(List.of("qemu-img", "rebase", "-u", "-F", backingFormat, "-b", backing, image));
    }

    /** An image's backing file and its format. */
    record Backing(String file, String format) {
    }

    /** An image's backing file (its full path) and format, or null for an image without one. */
    static Backing backing(String image) {
        String out = run(List.of("qemu-img", "info", "-U", "--output=json", image));
        java.util.regex.Matcher file = java.util.regex.Pattern.compile("\"full-backing-filename\":\\s*\"([^\"]*)\"")
            .matcher(out);
        java.util.regex.Matcher format = java.util.regex.Pattern
            .compile("\"backing-filename-format\":\\s*\"([^\"]*)\"").matcher(out);
        return file.find() ? new Backing(file.group(1), format.find() ? format.group(1) : "raw") : null;
    }

    /** An image's virtual size in bytes, read without taking its lock. */
    static long virtualSize(String image) {
        String out = run(List.of("qemu-img", "info", "-U", "--output=json", image));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"virtual-size\":\\s*(\\d+)").matcher(out);
        if (!m.find()) {
            throw VirtErrors.internal(ErrorDomain.QEMU, "cannot read the size of '" + image + "'");
        }
        return Long.parseLong(m.group(1));
    }

    private static String run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw VirtErrors.operationFailed(ErrorDomain.QEMU, "timed out: " + String.join(" ", argv));
            }
            if (p.exitValue() != 0) {
                throw VirtErrors.operationFailed(ErrorDomain.QEMU,
                    "failed to run '" + String.join(" ", argv) + "': " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot run qemu-img", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "interrupted during qemu-img");
        }
    }
}
