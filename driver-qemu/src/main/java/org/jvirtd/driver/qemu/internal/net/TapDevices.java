package org.jvirtd.driver.qemu.internal.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;

/**
 * Guests' TAP devices through iproute2 in one network namespace: created persistent with the host-side
 * MAC, enslaved to a bridge and up before QEMU opens them by name; deleted once the guest is gone.
 */
final class TapDevices {
    /** Names are picked and taken under one lock, so two guests starting at once never share a vnetN. */
    private static final Object NAMES = new Object();

    private final String netns;

    TapDevices(String netns) {
        this.netns = netns;
    }

    /** Creates {@code wanted}, or the first free vnetN when it is null; returns the name. */
    String create(String wanted, String mac, String bridge) {
        synchronized (NAMES) {
            Set<String> existing = links();
            String name = wanted != null ? wanted : freeName(existing);
            if (existing.contains(name)) {
                throw VirtErrors.system(ErrorDomain.QEMU, "Unable to create tap device " + name + ": File exists", null);
            }
            check("Unable to create tap device " + name, "tuntap", "add", "dev", name, "mode", "tap");
            try {
                if (mac != null) {
                    check("Cannot set interface MAC on '" + name + "'", "link", "set", "dev", name, "address", mac);
                }
                check("Unable to add bridge " + bridge + " port " + name, "link", "set", "dev", name, "master", bridge);
                check("Cannot set interface flags on '" + name + "'", "link", "set", "dev", name, "up");
            } catch (RuntimeException e) {
                delete(name);
                throw e;
            }
            return name;
        }
    }

    /** Deletes a TAP if it is there; a failure is logged, as the guest it served is gone anyway. */
    void delete(String name) {
        Result r = ip("link", "del", "dev", name);
        if (r.status != 0 && !r.out.contains("Cannot find device")) {
            System.getLogger(TapDevices.class.getName()).log(System.Logger.Level.WARNING,
                "cannot delete tap device " + name + ": " + r.out);
        }
    }

    private static String freeName(Set<String> existing) {
        for (int i = 0; ; i++) {
            if (!existing.contains("vnet" + i)) {
                return "vnet" + i;
            }
        }
    }

    private Set<String> links() {
        Result r = ip("-o", "link", "show");
        if (r.status != 0) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot list network devices: " + r.out, null);
        }
        Set<String> names = new HashSet<>();
        for (String line : r.out.split("\n")) {
            String[] fields = line.split(": ", 3);
            if (fields.length > 1) {
                int at = fields[1].indexOf('@');
                names.add(at < 0 ? fields[1] : fields[1].substring(0, at));
            }
        }
        return names;
    }

    private void check(String what, String... args) {
        Result r = ip(args);
        if (r.status != 0) {
            throw VirtErrors.system(ErrorDomain.QEMU, what + ": " + r.out, null);
        }
    }

    private record Result(int status, String out) {
    }

    private Result ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        if (!netns.isEmpty()) {
            argv.addAll(List.of("-n", netns));
        }
        argv.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return new Result(p.waitFor(), out);
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot run ip: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtErrors.internal(ErrorDomain.QEMU, "interrupted: " + String.join(" ", argv));
        }
    }
}
