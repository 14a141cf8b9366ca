package org.jvirtd.driver.qemu.internal.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;

/**
 * An interface's {@code <bandwidth>} on its TAP, with tc as libvirt sets it: traffic to the guest (inbound, the
 * TAP's egress) through an htb class at the average rate (ceil the peak, burst the burst) with an sfq below it,
 * traffic from the guest (outbound, the TAP's ingress) policed at the average rate. Rates are KiB/s ("kbps" to
 * tc), bursts KiB. A kernel without the sfq scheduler or the fw classifier gets
 * the inbound limit without them; the outbound policer needs cls_u32 and act_police.
 */
public final class TapShaping {
    private final String netns;

    public TapShaping(String netns) {
        this.netns = netns == null ? "" : netns;
    }

    /** The tc argument lists that set a TAP's limits, once what it had is cleared (an empty map: no limit). */
    static List<List<String>> commands(String tap, Map<String, Long> inbound, Map<String, Long> outbound) {
        List<List<String>> commands = new ArrayList<>();
        long in = inbound.getOrDefault("average", 0L);
        if (in > 0) {
            commands.add(List.of("qdisc", "add", "dev", tap, "root", "handle", "1:", "htb", "default", "1"));
            List<String> htb = new ArrayList<>(List.of("class", "add", "dev", tap, "parent", "1:", "classid", "1:1",
                "htb", "rate", in + "kbps"));
            long peak = inbound.getOrDefault("peak", 0L);
            if (peak > 0) {
                htb.addAll(List.of("ceil", peak + "kbps"));
            }
            long burst = inbound.getOrDefault("burst", 0L);
            if (burst > 0) {
                htb.addAll(List.of("burst", burst + "kb"));
            }
            commands.add(htb);
            commands.add(List.of("qdisc", "add", "dev", tap, "parent", "1:1", "handle", "2:", "sfq", "perturb", "10"));
            commands.add(List.of("filter", "add", "dev", tap, "parent", "1:0", "protocol", "all", "prio", "1",
                "handle", "1", "fw", "flowid", "1"));
        }
        long out = outbound.getOrDefault("average", 0L);
        if (out > 0) {
            long burst = outbound.getOrDefault("burst", 0L);
            commands.add(List.of("qdisc", "add", "dev", tap, "ingress"));
            commands.add(List.of("filter", "add", "dev", tap, "parent", "ffff:", "protocol", "all", "u32", "match",
                "u32", "0", "0", "police", "rate", out + "kbps", "burst", (burst > 0 ? burst : out) + "kb", "mtu",
                "64kb", "drop", "flowid", ":1"));
        }
        return commands;
    }

    /** Replaces the TAP's limits by {@code bandwidth} ("inbound"/"outbound" to average, peak, burst, floor). */
    public void apply(String tap, Map<String, Map<String, Long>> bandwidth) {
        tc(List.of("qdisc", "del", "dev", tap, "root"));
        tc(List.of("qdisc", "del", "dev", tap, "ingress"));
        for (List<String> command : commands(tap, bandwidth.getOrDefault("inbound", Map.of()),
            bandwidth.getOrDefault("outbound", Map.of()))) {
            String out = tc(command);
            if (out != null && (command.contains("sfq") || command.contains("fw"))) {
                // the fairness below the class and the filter into it (htb's default class takes all traffic
                // anyway): a kernel without sch_sfq or cls_fw still limits the rate
                System.getLogger(TapShaping.class.getName()).log(System.Logger.Level.WARNING,
                    tap + ": tc " + String.join(" ", command) + ": " + out);
            } else if (out != null) {
                throw VirtErrors.system(ErrorDomain.QEMU, "Cannot set bandwidth limits on " + tap + ": tc "
                    + String.join(" ", command) + ": " + out, null);
            }
        }
    }

    /** Runs tc in the namespace; null when it succeeded, else what it said. */
    private String tc(List<String> args) {
        List<String> argv = new ArrayList<>(List.of("tc"));
        if (!netns.isEmpty()) {
            argv.addAll(List.of("-n", netns));
        }
        argv.addAll(args);
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? null : out;
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot run tc: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtErrors.internal(ErrorDomain.QEMU, "interrupted: " + String.join(" ", argv));
        }
    }
}
