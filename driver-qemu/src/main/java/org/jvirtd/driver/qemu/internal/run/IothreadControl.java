package org.jvirtd.driver.qemu.internal.run;

import java.io.IOException;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.platform.host.Affinity;

/**
 * A running guest's IOThreads as libvirt drives them: QEMU objects {@code iothreadN} added with object-add and
 * removed with object-del, their properties set with qom-set, and their threads (query-iothreads names them)
 * pinned with sched_setaffinity.
 */
public final class IothreadControl {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** libvirt's parameter names to the iothread object's properties. */
    private static final Map<String, String> PROPERTIES = Map.of("poll_max_ns", "poll-max-ns",
        "poll_grow", "poll-grow", "poll_shrink", "poll-shrink", "thread_pool_min", "thread-pool-min",
        "thread_pool_max", "thread-pool-max");

    private IothreadControl() {
    }

    /** The definition's {@code <iothreadpin>}s, applied after the emulator's pin (which covers every other thread). */
    static void applyDefined(QemuRun run, String xml) {
        Map<String, String> pins = org.jvirtd.model.domain.DomainEditor.of(xml).childAttributes("cputune",
            "iothreadpin", "iothread", "cpuset");
        for (Map.Entry<String, String> pin : pins.entrySet()) {
            pin(run, Integer.parseInt(pin.getKey().strip()), org.jvirtd.model.domain.CpuSets.parse(pin.getValue()));
        }
    }

    public static void add(QemuRun run, int id) {
        run.qmp().execute("object-add", Props.of("qom-type", "iothread").put("id", "iothread" + id), TIMEOUT);
    }

    public static void delete(QemuRun run, int id) {
        run.qmp().execute("object-del", Props.of("id", "iothread" + id), TIMEOUT);
    }

    public static void pin(QemuRun run, int id, BitSet cpus) {
        Long tid = threads(run).get("iothread" + id);
        if (tid == null) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "iothread " + id + " not found");
        }
        try {
            Affinity.set(tid, cpus);
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, e.getMessage(), e);
        }
    }

    /** Sets each property in the order given. */
    public static void set(QemuRun run, int id, Map<String, Long> values) {
        for (Map.Entry<String, Long> value : values.entrySet()) {
            run.qmp().execute("qom-set", Props.of("path", "/objects/iothread" + id)
                .put("property", PROPERTIES.get(value.getKey())).put("value", value.getValue()), TIMEOUT);
        }
    }

    /** The iothreads QEMU reports: object id to host thread id. */
    @SuppressWarnings("unchecked")
    public static Map<String, Long> threads(QemuRun run) {
        List<Map<String, Object>> threads = (List<Map<String, Object>>) run.qmp().execute("query-iothreads", null,
            TIMEOUT);
        Map<String, Long> ids = new java.util.LinkedHashMap<>();
        for (Map<String, Object> thread : threads) {
            ids.put(String.valueOf(thread.get("id")), ((Number) thread.get("thread-id")).longValue());
        }
        return ids;
    }
}
