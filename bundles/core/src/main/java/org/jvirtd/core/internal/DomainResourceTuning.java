package org.jvirtd.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.model.domain.DomainEditor;
import org.jvirtd.model.domain.DomainXml;

/**
 * Memory limits ({@code <memtune>}, memtune) and CPU scheduler parameters ({@code <cputune>}, schedinfo) with
 * libvirt's flag rules: the live values come from the driver (the guest's cgroup), the config ones from and to
 * the persistent definition. Also the block I/O weight ({@code <blkiotune>},
 * blkiotune) and the CPU time the cgroup accounts for (cpu-stats).
 */
final class DomainResourceTuning {
    /** VIR_DOMAIN_MEMORY_PARAM_UNLIMITED. */
    static final long UNLIMITED = 9007199254740991L;
    private static final List<String> MEMTUNE = List.of("hard_limit", "soft_limit", "swap_hard_limit");
    private static final List<String> MEMTUNE_ORDER = List.of("hard_limit", "soft_limit", "min_guarantee",
        "swap_hard_limit");
    /** Scheduler parameters in libvirt's order, with the {@code <cputune>} element each one is kept in. */
    private static final Map<String, String> SCHEDULER = schedulerElements();
    private static final List<String> CPUTUNE_ORDER = List.of("shares", "period", "quota", "global_period",
        "global_quota", "emulator_period", "emulator_quota", "iothread_period", "iothread_quota");
    private static final List<String> BLKIOTUNE_ORDER = List.of("weight", "device");
    private static final long MIN_PERIOD = 1000;
    private static final long MAX_PERIOD = 1000000;
    private static final long MIN_QUOTA = 1000;
    private static final long MAX_QUOTA = 17592186044415L;

    private final DriverDomains domains;

    DomainResourceTuning(DriverDomains domains) {
        this.domains = domains;
    }

    private static Map<String, String> schedulerElements() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("cpu_shares", "shares");
        map.put("vcpu_period", "period");
        map.put("vcpu_quota", "quota");
        for (String scope : List.of("emulator", "global", "iothread")) {
            map.put(scope + "_period", scope + "_period");
            map.put(scope + "_quota", scope + "_quota");
        }
        return map;
    }

    /** virDomainGetMemoryParameters: the cgroup's limits of a running domain, else the persistent {@code <memtune>}. */
    List<TypedParameter> memoryParameters(DomainRef ref, int flags) {
        return domains.locked(ref, (d, hv) -> {
            if (readsLive(d, flags)) {
                return hv.liveMemoryParameters(domains.handle(d));
            }
            return memoryParameters(DomainEditor.of(d.persistentXml()));
        });
    }

    /** virDomainSetMemoryParameters: KiB values (UNLIMITED removes a limit) to the cgroup and/or {@code <memtune>}. */
    void setMemoryParameters(DomainRef ref, List<TypedParameter> params, int flags) {
        Map<String, Long> kib = new LinkedHashMap<>();
        for (TypedParameter param : params) {
            check(param, MEMTUNE.contains(param.field()), TypedParameter.Type.ULLONG);
            kib.put(param.field(), Math.min(UNLIMITED, ((Number) param.value()).longValue() < 0 ? UNLIMITED
                : ((Number) param.value()).longValue()));
        }
        domains.lockedDo(ref, (d, hv) -> {
            DriverDomains.Affected target = domains.affected(d, flags);
            if (target.live()) {
                checkHardBelowSwap(kib, hv.liveMemoryParameters(domains.handle(d)));
            }
            if (target.config()) {
                checkHardBelowSwap(kib, memoryParameters(DomainEditor.of(d.persistentXml())));
            }
            if (target.live()) {
                hv.setLiveMemoryParameters(domains.handle(d), kib);
                DomainEditor running = DomainEditor.of(d.currentXml());
                kib.forEach((field, value) -> setMemtune(running, field, value));
                d.setLiveXml(running.format(d.id(), DomainXml.SECURE | DomainXml.STATUS));
                domains.store().writeStatus(d);
            }
            if (target.config()) {
                DomainEditor editor = DomainEditor.of(d.persistentXml());
                kib.forEach((field, value) -> setMemtune(editor, field, value));
                replacePersistent(d, editor.format(-1, DomainStore.STORED_FORM));
            }
        });
    }

    private static List<TypedParameter> memoryParameters(DomainEditor def) {
        List<TypedParameter> params = new ArrayList<>();
        for (String field : MEMTUNE) {
            Long kib = def.memtuneKiB(field);
            params.add(TypedParameter.ofUllong(field, kib == null ? UNLIMITED : kib));
        }
        return params;
    }

    private static void setMemtune(DomainEditor editor, String field, long kib) {
        editor.setTunable("memtune", field, kib >= UNLIMITED ? null : Long.toString(kib), "KiB", MEMTUNE_ORDER);
    }

    /** libvirt refuses a hard limit above the swap hard limit, each the new value or else the current one. */
    private void checkHardBelowSwap(Map<String, Long> kib, List<TypedParameter> current) {
        long hard = kib.getOrDefault("hard_limit", (Long) current.get(0).value());
        long swap = kib.getOrDefault("swap_hard_limit", (Long) current.get(2).value());
        if (hard < UNLIMITED && swap < UNLIMITED && hard > swap) {
            throw VirtErrors.invalidArg(domains.from(),
                "memory hard_limit tunable value must be lower than or equal to swap_hard_limit");
        }
    }

    /** virDomainGetCPUStats of a running domain: the totals ({@code startCpu} -1) or cpu_time per host CPU. */
    List<List<TypedParameter>> cpuStats(DomainRef ref, int startCpu, int ncpus) {
        return domains.locked(ref, (d, hv) -> {
            domains.requireActive(d);
            if (startCpu == -1) {
                return List.of(hv.liveCpuTotals(domains.handle(d)));
            }
            List<Long> times = hv.liveCpuTimes(domains.handle(d));
            if (startCpu >= times.size()) {
                throw VirtErrors.invalidArg(domains.from(), "start_cpu " + startCpu + " larger than maximum of "
                    + (times.size() - 1));
            }
            List<List<TypedParameter>> stats = new ArrayList<>();
            for (int cpu = startCpu; cpu < times.size() && cpu - startCpu < ncpus; cpu++) {
                stats.add(List.of(TypedParameter.ofUllong("cpu_time", times.get(cpu))));
            }
            return stats;
        });
    }

    /**
     * virDomainGetBlkioParameters: the weight (the cgroup's of a running domain, else {@code <blkiotune><weight>}, 0
     * when unset) and the per-device values of the definition as "path,value,path,value" strings.
     */
    List<TypedParameter> blkioParameters(DomainRef ref, int flags) {
        return domains.locked(ref, (d, hv) -> {
            boolean live = readsLive(d, flags);
            DomainEditor def = DomainEditor.of(live ? d.currentXml() : d.persistentXml());
            String weight = def.tunable("blkiotune", "weight");
            List<TypedParameter> params = new ArrayList<>();
            params.add(TypedParameter.ofUint("weight", live ? hv.liveBlkioWeight(domains.handle(d))
                : weight == null ? 0 : Long.parseLong(weight)));
            for (String field : List.of("weight", "read_iops_sec", "write_iops_sec", "read_bytes_sec",
                "write_bytes_sec")) {
                StringBuilder list = new StringBuilder();
                for (Map<String, String> device : def.blkioDevices()) {
                    String value = device.get(field);
                    if (value != null && !value.isEmpty() && !value.equals("0")) {
                        list.append(list.isEmpty() ? "" : ",").append(device.get("path")).append(',').append(value);
                    }
                }
                params.add(new TypedParameter("device_" + field, TypedParameter.Type.STRING, list.toString()));
            }
            return params;
        });
    }

    /** virDomainSetBlkioParameters: the weight, live to the cgroup and/or to {@code <blkiotune><weight>}. */
    void setBlkioParameters(DomainRef ref, List<TypedParameter> params, int flags) {
        Integer weight = null;
        for (TypedParameter param : params) {
            if (List.of("device_weight", "device_read_iops_sec", "device_write_iops_sec", "device_read_bytes_sec",
                "device_write_bytes_sec").contains(param.field())) {
                throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, domains.from(),
                    "jvirtd does not set per-device blkio tunables ('" + param.field() + "') yet");
            }
            check(param, param.field().equals("weight"), TypedParameter.Type.UINT);
            weight = (Integer) param.value();
            if (weight < 100 || weight > 1000) {
                throw VirtErrors.invalidArg(domains.from(), "out of blkio weight range.");
            }
        }
        Integer chosen = weight;
        domains.lockedDo(ref, (d, hv) -> {
            DriverDomains.Affected target = domains.affected(d, flags);
            if (chosen == null) {
                return;
            }
            if (target.live()) {
                hv.setLiveBlkioWeight(domains.handle(d), chosen);
                DomainEditor running = DomainEditor.of(d.currentXml());
                running.setTunable("blkiotune", "weight", chosen.toString(), null, BLKIOTUNE_ORDER);
                d.setLiveXml(running.format(d.id(), DomainXml.SECURE | DomainXml.STATUS));
                domains.store().writeStatus(d);
            }
            if (target.config()) {
                DomainEditor editor = DomainEditor.of(d.persistentXml());
                editor.setTunable("blkiotune", "weight", chosen.toString(), null, BLKIOTUNE_ORDER);
                replacePersistent(d, editor.format(-1, DomainStore.STORED_FORM));
            }
        });
    }

    /**
     * virDomainGetSchedulerType's nparams: of a running domain what the driver's cgroup CPU controller offers, of a
     * stopped one every parameter its definition may hold (libvirt asks no cgroup then).
     */
    int schedulerParameterCount(DomainRef ref) {
        return domains.locked(ref, (d, hv) -> d.isActive() ? hv.schedulerParameterCount() : SCHEDULER.size());
    }

    /** virDomainGetSchedulerParametersFlags: the cgroup's values of a running domain, else {@code <cputune>}'s. */
    List<TypedParameter> schedulerParameters(DomainRef ref, int flags) {
        return domains.locked(ref, (d, hv) -> {
            if (readsLive(d, flags)) {
                return hv.liveSchedulerParameters(domains.handle(d));
            }
            DomainEditor def = DomainEditor.of(d.persistentXml());
            List<TypedParameter> params = new ArrayList<>();
            SCHEDULER.forEach((field, element) -> {
                String text = def.tunable("cputune", element);
                long value = text == null ? 0 : Long.parseLong(text);
                params.add(field.endsWith("_quota") ? TypedParameter.ofLlong(field, value)
                    : TypedParameter.ofUllong(field, value));
            });
            return params;
        });
    }

    /** virDomainSetSchedulerParametersFlags: to the cgroup and/or the persistent {@code <cputune>}. */
    void setSchedulerParameters(DomainRef ref, List<TypedParameter> params, int flags) {
        for (TypedParameter param : params) {
            boolean quota = param.field().endsWith("_quota");
            check(param, SCHEDULER.containsKey(param.field()),
                quota ? TypedParameter.Type.LLONG : TypedParameter.Type.ULLONG);
            long value = ((Number) param.value()).longValue();
            if (param.field().endsWith("_period") && (value > 0 && value < MIN_PERIOD || value > MAX_PERIOD)) {
                throw outOfRange(param.field(), MIN_PERIOD, MAX_PERIOD);
            }
            if (quota && (value > 0 && value < MIN_QUOTA || value > MAX_QUOTA)) {
                throw outOfRange(param.field(), MIN_QUOTA, MAX_QUOTA);
            }
        }
        domains.lockedDo(ref, (d, hv) -> {
            DriverDomains.Affected target = domains.affected(d, flags);
            if (target.live()) {
                hv.setLiveSchedulerParameters(domains.handle(d), params);
                DomainEditor running = DomainEditor.of(d.currentXml());
                params.forEach(p -> setCputune(running, p));
                d.setLiveXml(running.format(d.id(), DomainXml.SECURE | DomainXml.STATUS));
                domains.store().writeStatus(d);
                // VIR_DOMAIN_TUNABLE_CPU_*: the fields as given, under cputune.
                domains.publishTunable(d, hv, params.stream()
                    .map(p -> new TypedParameter("cputune." + p.field(), p.type(), p.value())).toList());
            }
            if (target.config()) {
                DomainEditor editor = DomainEditor.of(d.persistentXml());
                params.forEach(p -> setCputune(editor, p));
                replacePersistent(d, editor.format(-1, DomainStore.STORED_FORM));
            }
        });
    }

    private static void setCputune(DomainEditor editor, TypedParameter param) {
        long value = ((Number) param.value()).longValue();
        editor.setTunable("cputune", SCHEDULER.get(param.field()), value == 0 ? null : Long.toString(value), null,
            CPUTUNE_ORDER);
    }

    private VirtException outOfRange(String field, long min, long max) {
        return VirtErrors.invalidArg(domains.from(), "value of '" + field + "' is out of range [" + min + ", "
            + max + "]");
    }

    /** virTypedParamsValidate: a known field of the expected type. */
    private void check(TypedParameter param, boolean known, TypedParameter.Type type) {
        if (!known) {
            throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, domains.from(),
                "parameter '" + param.field() + "' not supported");
        }
        if (param.type() != type) {
            throw VirtErrors.invalidArg(domains.from(), "invalid type '" + param.type().label() + "' for parameter '"
                + param.field() + "', expected '" + type.label() + "'");
        }
    }

    /** Whether a query reads the live values: AFFECT_LIVE, or AFFECT_CURRENT of a running domain. */
    private boolean readsLive(DomainObject d, int flags) {
        int affect = DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG;
        if ((flags & affect) == affect) {
            throw VirtErrors.invalidArg(domains.from(),
                "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
        }
        boolean live = (flags & DomainFlags.AFFECT_LIVE) != 0 || (flags & affect) == 0 && d.isActive();
        if (live) {
            domains.requireActive(d);
        } else if (!d.isPersistent()) {
            throw VirtErrors.operationInvalid(domains.from(), "transient domains do not have any persistent config");
        }
        return live;
    }

    private void replacePersistent(DomainObject d, String xml) {
        String previous = d.persistentXml();
        d.setPersistentXml(xml);
        try {
            domains.store().writeConfig(d);
        } catch (VirtException e) {
            d.setPersistentXml(previous);
            throw e;
        }
    }
}
