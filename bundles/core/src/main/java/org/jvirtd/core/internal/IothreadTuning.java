package org.jvirtd.core.internal;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.model.domain.CpuSets;
import org.jvirtd.model.domain.DomainEditor;

/**
 * IOThreads added, removed, pinned and tuned (iothreadadd, iothreaddel, iothreadpin, iothreadset) in the running
 * guest through the driver and in {@code <iothreads>}, {@code <iothreadids>} and {@code <cputune><iothreadpin>},
 * with libvirt 9.0's checks and messages.
 */
final class IothreadTuning {
    /** virDomainSetIOThreadParams' parameters and their types. */
    static final TypedParameterSchema PARAMS = new TypedParameterSchema(Map.of(
        "poll_max_ns", TypedParameter.Type.ULLONG, "poll_grow", TypedParameter.Type.UINT,
        "poll_shrink", TypedParameter.Type.UINT, "thread_pool_min", TypedParameter.Type.INT,
        "thread_pool_max", TypedParameter.Type.INT));
    private static final List<String> POLLING = List.of("poll_max_ns", "poll_grow", "poll_shrink");

    private final DriverDomains domains;

    IothreadTuning(DriverDomains domains) {
        this.domains = domains;
    }

    void add(DomainRef ref, int id, int flags) {
        if (id == 0) {
            throw VirtErrors.invalidArg(domains.from(), "invalid value of 0 for iothread_id");
        }
        domains.lockedDo(ref, (d, hv) -> {
            DriverDomains.Affected target = domains.affected(d, flags);
            DomainEditor running = target.live() ? DomainEditor.of(d.currentXml()) : null;
            DomainEditor persistent = target.config() ? DomainEditor.of(d.persistentXml()) : null;
            for (DomainEditor def : new DomainEditor[] {running, persistent}) {
                if (def != null && def.iothreadIds().contains(id)) {
                    throw VirtErrors.invalidArg(domains.from(), "an IOThread is already using iothread_id '" + id
                        + "'");
                }
            }
            if (running != null) {
                hv.addIothread(domains.handle(d), id, null);
                running.addIothread(id);
                DefinitionWrites.live(domains, d, running);
            }
            if (persistent != null) {
                persistent.addIothread(id);
                DefinitionWrites.persistent(domains, d, persistent);
            }
        });
    }

    void delete(DomainRef ref, int id, int flags) {
        if (id == 0) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN, "iothread_id in virDomainDelIOThread must not be zero");
        }
        domains.lockedDo(ref, (d, hv) -> {
            DriverDomains.Affected target = domains.affected(d, flags);
            DomainEditor running = target.live() ? DomainEditor.of(d.currentXml()) : null;
            DomainEditor persistent = target.config() ? DomainEditor.of(d.persistentXml()) : null;
            for (DomainEditor def : new DomainEditor[] {running, persistent}) {
                if (def != null) {
                    checkRemovable(def, id);
                }
            }
            if (running != null) {
                hv.delIothread(domains.handle(d), id);
                running.removeIothread(id);
                DefinitionWrites.live(domains, d, running);
            }
            if (persistent != null) {
                persistent.removeIothread(id);
                DefinitionWrites.persistent(domains, d, persistent);
            }
        });
    }

    private void checkRemovable(DomainEditor def, int id) {
        if (!def.iothreadIds().contains(id)) {
            throw VirtErrors.invalidArg(domains.from(), "cannot find IOThread '" + id + "' in iothreadids list");
        }
        for (int i = 0; i < def.count("disk"); i++) {
            String used = def.attr("disk", i, "driver", "iothread");
            if (used != null && used.strip().equals(Integer.toString(id))) {
                throw VirtErrors.invalidArg(domains.from(), "cannot remove IOThread " + id
                    + " since it is being used by disk '" + def.attr("disk", i, "target", "dev") + "'");
            }
        }
    }

    void pin(DomainRef ref, int id, BitSet cpus, int flags) {
        domains.lockedDo(ref, (d, hv) -> {
            DriverDomains.Affected target = domains.affected(d, flags);
            if (cpus.isEmpty()) {
                throw VirtErrors.invalidArg(domains.from(), "Empty iothread cpumap list for pinning");
            }
            DomainEditor running = target.live() ? DomainEditor.of(d.currentXml()) : null;
            DomainEditor persistent = target.config() ? DomainEditor.of(d.persistentXml()) : null;
            if (running != null && !running.iothreadIds().contains(id)) {
                throw VirtErrors.invalidArg(domains.from(), "iothread " + id + " not found");
            }
            if (persistent != null && !persistent.iothreadIds().contains(id)) {
                throw VirtErrors.invalidArg(domains.from(), "iothreadid " + id + " not found");
            }
            if (running != null) {
                hv.pinIothread(domains.handle(d), id, cpus);
                running.setIothreadPin(id, cpus);
                DefinitionWrites.live(domains, d, running);
                domains.publishTunable(d, hv, List.of(new TypedParameter("cputune.iothreadpin" + id,
                    TypedParameter.Type.STRING, CpuSets.format(cpus))));
            }
            if (persistent != null) {
                persistent.setIothreadPin(id, cpus);
                DefinitionWrites.persistent(domains, d, persistent);
            }
        });
    }

    /**
     * virDomainSetIOThreadParams: polling values live only (libvirt keeps none in the definition), the thread
     * pool's bounds live and/or in {@code <iothreadids>}.
     */
    void setParams(DomainRef ref, int id, List<TypedParameter> params, int flags) {
        PARAMS.validate(params);
        Map<String, Long> values = new LinkedHashMap<>();
        params.forEach(p -> values.put(p.field(), TypedParameterSchema.number(p)));
        domains.lockedDo(ref, (d, hv) -> {
            DriverDomains.Affected target = domains.affected(d, flags);
            DomainEditor running = target.live() ? DomainEditor.of(d.currentXml()) : null;
            DomainEditor persistent = target.config() ? DomainEditor.of(d.persistentXml()) : null;
            for (DomainEditor def : new DomainEditor[] {running, persistent}) {
                if (def != null && !def.iothreadIds().contains(id)) {
                    throw VirtErrors.invalidArg(domains.from(), "cannot find IOThread '" + id + "' in iothreadids");
                }
            }
            if (persistent != null && values.keySet().stream().anyMatch(POLLING::contains)) {
                throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, domains.from(),
                    "configuring persistent polling values is not supported");
            }
            if (running != null) {
                checkPool(running, id, values, true);
            }
            if (persistent != null) {
                checkPool(persistent, id, values, false);
            }
            if (running != null) {
                hv.setIothreadParams(domains.handle(d), id, values);
                running.setIothreadAttrs(id, poolAttributes(values));
                DefinitionWrites.live(domains, d, running);
            }
            if (persistent != null) {
                persistent.setIothreadAttrs(id, poolAttributes(values));
                DefinitionWrites.persistent(domains, d, persistent);
            }
        });
    }

    /** The pool's bounds after the change must hold min <= max; a live change takes no negative bound. */
    private void checkPool(DomainEditor def, int id, Map<String, Long> values, boolean live) {
        Map<String, String> now = def.iothreadAttrs(id);
        long min = values.getOrDefault("thread_pool_min", parse(now.get("thread_pool_min")));
        long max = values.getOrDefault("thread_pool_max", parse(now.get("thread_pool_max")));
        for (String bound : List.of("thread_pool_min", "thread_pool_max")) {
            if (live && values.containsKey(bound) && values.get(bound) < 0) {
                throw VirtErrors.operationInvalid(domains.from(), bound + " (" + values.get(bound)
                    + ") must be equal to or greater than 0 for live change");
            }
        }
        if (min >= 0 && max >= 0 && min > max) {
            throw VirtErrors.operationInvalid(domains.from(), "thread_pool_min (" + min
                + ") can't be greater than thread_pool_max (" + max + ")");
        }
    }

    private static long parse(String value) {
        return value == null ? -1 : Long.parseLong(value.strip());
    }

    /** The thread pool bounds as {@code <iothread>} attributes; -1 removes one, as libvirt's "unset". */
    private static Map<String, String> poolAttributes(Map<String, Long> values) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String bound : List.of("thread_pool_min", "thread_pool_max")) {
            if (values.containsKey(bound)) {
                long value = values.get(bound);
                attributes.put(bound, value < 0 ? null : Long.toString(value));
            }
        }
        return attributes;
    }
}
