package org.jvirtd.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;

/**
 * virNodeSuspendForDuration: whether the host can sleep in a target is asked of systemd-logind on the system bus
 * or, without it, of pm-utils' pm-is-supported, as libvirt asks; a host that can is put to sleep with
 * {@code rtcwake} for the duration. A host with neither (a container, this build's) supports no target.
 */
final class HostSuspend {
    /** VIR_NODE_SUSPEND_TARGET_MEM, _DISK, _HYBRID and what libvirt calls them in its refusal. */
    private static final List<String> TARGET_NAMES = List.of("Suspend-to-RAM", "Suspend-to-Disk", "Hybrid-Suspend");
    private static final List<String> LOGIND_METHODS = List.of("CanSuspend", "CanHibernate", "CanHybridSleep");
    private static final List<String> PM_UTILS_OPTIONS = List.of("--suspend", "--hibernate", "--suspend-hybrid");
    private static final List<String> RTCWAKE_MODES = List.of("mem", "disk", "off");
    /** libvirt's MIN_TIME_REQ_FOR_SUSPEND, in seconds. */
    private static final long MIN_DURATION = 60;
    private static final Path SYSTEM_BUS = Path.of("/run/dbus/system_bus_socket");

    private static boolean suspending;

    private HostSuspend() {
    }

    static synchronized void suspend(int target, long duration, int flags) {
        VirtErrors.checkFlags(ErrorDomain.NONE, flags, 0, "virNodeSuspend");
        if (suspending) {
            throw VirtErrors.operationInvalid(ErrorDomain.NONE, "Suspend operation already in progress");
        }
        if (target < 0 || target >= TARGET_NAMES.size()) {
            throw VirtErrors.invalidArg(ErrorDomain.NONE, "Invalid suspend target");
        }
        if (!supports(target)) {
            throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.NONE, TARGET_NAMES.get(target));
        }
        if (duration < MIN_DURATION) {
            throw VirtErrors.invalidArg(ErrorDomain.NONE, "Too small suspend duration");
        }
        suspending = true;
        Thread sleeper = new Thread(() -> {
            try {
                // libvirt waits a little so the client gets its reply before the host sleeps
                Thread.sleep(5_000);
                run(List.of("rtcwake", "-m", RTCWAKE_MODES.get(target), "-s", Long.toString(duration)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                synchronized (HostSuspend.class) {
                    suspending = false;
                }
            }
        }, "node-suspend");
        sleeper.setDaemon(true);
        sleeper.start();
    }

    private static boolean supports(int target) {
        if (Files.exists(SYSTEM_BUS)) {
            String answer = output(List.of("busctl", "--system", "call", "org.freedesktop.login1",
                "/org/freedesktop/login1", "org.freedesktop.login1.Manager", LOGIND_METHODS.get(target)));
            if (answer != null) {
                return answer.trim().equals("s \"yes\"");
            }
        }
        return run(List.of("pm-is-supported", PM_UTILS_OPTIONS.get(target))) == 0;
    }

    /** The command's exit status; -1 when it cannot run. */
    private static int run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** What a command printed when it succeeded, else null. */
    private static String output(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
