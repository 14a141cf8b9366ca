package org.jvirtd.driver.qemu.internal.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.command.Props;

/**
 * vCPU hotplug as libvirt drives QEMU: the slots of query-hotpluggable-cpus ordered by socket, die, core and
 * thread are vCPUs 0..max-1; a vCPU comes with device_add of the slot's CPU type under the id vcpuN, goes with
 * device_del of that id once the guest releases it (DEVICE_DELETED, or libvirt's timeout message).
 */
public final class VcpuHotplug {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** How long an unplug waits for the guest, as libvirt waits. */
    private static final long UNPLUG_WAIT_SECONDS = 5;
    private static final List<String> TOPOLOGY = List.of("node-id", "socket-id", "die-id", "core-id", "thread-id");

    private VcpuHotplug() {
    }

    /** The vCPUs QEMU has now. */
    public static int online(QemuRun run) {
        return (int) slots(run).stream().filter(s -> s.get("qom-path") != null).count();
    }

    /** Plugs the lowest free slots or unplugs the highest hotplugged vCPUs until {@code count} are online. */
    public static void set(QemuRun run, int count) {
        List<Map<String, Object>> slots = slots(run);
        int online = (int) slots.stream().filter(s -> s.get("qom-path") != null).count();
        for (int i = 0; i < slots.size() && online < count; i++) {
            Map<String, Object> slot = slots.get(i);
            if (slot.get("qom-path") == null) {
                plug(run, slot, i);
                online++;
            }
        }
        for (int i = slots.size() - 1; i >= 0 && online > count; i--) {
            String path = (String) slots.get(i).get("qom-path");
            if (path != null && path.equals("/machine/peripheral/vcpu" + i)) {
                unplug(run, "vcpu" + i);
                online--;
            }
        }
        if (online > count) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "vcpu " + (online - 1) + " can't be hotunplugged");
        }
    }

    /** Plugs (online) or unplugs vCPU {@code vcpu}, the slot of that number; nothing when it is so already. */
    public static void setOne(QemuRun run, int vcpu, boolean online) {
        List<Map<String, Object>> slots = slots(run);
        if (vcpu >= slots.size()) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "vcpu " + vcpu + " is not present in live config");
        }
        Map<String, Object> slot = slots.get(vcpu);
        boolean present = slot.get("qom-path") != null;
        if (online && !present) {
            plug(run, slot, vcpu);
        } else if (!online && present) {
            if (!("/machine/peripheral/vcpu" + vcpu).equals(slot.get("qom-path"))) {
                throw VirtErrors.invalidArg(ErrorDomain.QEMU, "vcpu '" + vcpu
                    + "' can't be modified as it is non-hotpluggable");
            }
            unplug(run, "vcpu" + vcpu);
        }
    }

    private static void plug(QemuRun run, Map<String, Object> slot, int i) {
        Props device = Props.of("driver", String.valueOf(slot.get("type"))).put("id", "vcpu" + i);
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) slot.get("props");
        for (String key : TOPOLOGY) {
            if (props.containsKey(key) && !"node-id".equals(key)) {
                device.put(key, props.get(key));
            }
        }
        run.qmp().deviceAdd(device);
    }

    private static void unplug(QemuRun run, String id) {
        var deleted = run.awaitDeletion(id);
        run.qmp().deviceDel(id);
        try {
            deleted.get(UNPLUG_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "interrupted while unplugging " + id);
        } catch (Exception e) {
            throw new VirtException(ErrorCode.OPERATION_TIMEOUT, ErrorDomain.QEMU,
                "vcpu unplug request timed out. Unplug result must be manually inspected in the domain");
        }
    }

    /** query-hotpluggable-cpus in vCPU order. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> slots(QemuRun run) {
        Object reply = run.qmp().execute("query-hotpluggable-cpus", null, TIMEOUT);
        List<Map<String, Object>> slots = new ArrayList<>((List<Map<String, Object>>) reply);
        Comparator<Map<String, Object>> order = Comparator.comparingLong(s -> 0L);
        for (String key : TOPOLOGY.subList(1, TOPOLOGY.size())) {
            order = order.thenComparingLong(s -> number(((Map<String, Object>) s.get("props")).get(key)));
        }
        slots.sort(order);
        return slots;
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
