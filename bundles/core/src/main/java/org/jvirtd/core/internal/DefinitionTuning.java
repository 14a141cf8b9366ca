package org.jvirtd.core.internal;

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
 * Tunables kept in the definition and applied by the driver while the guest runs: the NUMA memory policy
 * (numatune), an interface's bandwidth (domiftune), perf events (perf) and the lifecycle actions
 * (set-lifecycle-action), with libvirt 9.0's flag rules, checks and messages.
 */
final class DefinitionTuning {
    /** virDomainNumatuneMemMode names by number. */
    private static final List<String> NUMA_MODES = List.of("strict", "preferred", "interleave", "restrictive");
    private static final TypedParameterSchema NUMA = new TypedParameterSchema(Map.of(
        "numa_mode", TypedParameter.Type.INT, "numa_nodeset", TypedParameter.Type.STRING));
    private static final List<String> BANDWIDTH_FIELDS = List.of("inbound.average", "inbound.peak", "inbound.burst",
        "inbound.floor", "outbound.average", "outbound.peak", "outbound.burst");
    private static final TypedParameterSchema BANDWIDTH = bandwidthSchema();
    /** What may follow {@code <bandwidth>} in an interface, in libvirt's order. */
    private static final List<String> AFTER_BANDWIDTH = List.of("vlan", "port", "guest", "ip", "route", "script",
        "downscript", "backenddomain", "target", "model", "driver", "backend", "filterref", "tune", "teaming",
        "link", "mtu", "coalesce", "boot", "rom", "alias", "address", "acpi");
    /** virDomainLifecycle element names by number, and virDomainLifecycleAction names by number. */
    private static final List<String> LIFECYCLE = List.of("on_poweroff", "on_reboot", "on_crash");
    private static final List<String> ACTIONS = List.of("destroy", "restart", "rename-restart", "preserve",
        "coredump-destroy", "coredump-restart");

    private final DriverDomains domains;

    DefinitionTuning(DriverDomains domains) {
        this.domains = domains;
    }

    private static TypedParameterSchema bandwidthSchema() {
        Map<String, TypedParameter.Type> fields = new LinkedHashMap<>();
        BANDWIDTH_FIELDS.forEach(f -> fields.put(f, TypedParameter.Type.UINT));
        return new TypedParameterSchema(fields);
    }

    /** virDomainSetNumaParameters: the mode for the next boot, the nodeset live (by the driver) and/or for it. */
    void setNuma(DomainRef ref, List<TypedParameter> params, int flags) {
        NUMA.validate(params);
        String mode = null;
        String nodeset = null;
        for (TypedParameter param : params) {
            if (param.field().equals("numa_mode")) {
                int number = (Integer) param.value();
                if (number < 0 || number >= NUMA_MODES.size()) {
                    throw VirtErrors.invalidArg(domains.from(), "unsupported numatune mode: '" + number + "'");
                }
                mode = NUMA_MODES.get(number);
            } else {
                nodeset = (String) param.value();
                try {
                    nodeset = CpuSets.format(CpuSets.parse(nodeset));
                } catch (RuntimeException e) {
                    throw VirtErrors.invalidArg(ErrorDomain.NONE, "Failed to parse bitmap '" + param.value() + "'");
                }
            }
        }
        String chosenMode = mode;
        String chosenNodeset = nodeset;
        domains.lockedDo(ref, (d, hv) -> {
            DriverDomains.Affected target = domains.affected(d, flags);
            if (target.live()) {
                DomainEditor running = DomainEditor.of(d.currentXml());
                String current = running.topAttr("numatune", "memory", "mode");
                if (chosenMode != null && !chosenMode.equals(current == null ? "strict" : current)) {
                    hv.setLiveNumaNodeset(domains.handle(d), null);
                    throw VirtErrors.operationInvalid(domains.from(), "can't change numatune mode for running domain");
                }
                hv.setLiveNumaNodeset(domains.handle(d), chosenNodeset);
                if (chosenNodeset != null) {
                    running.setTopChildAttrs("numatune", "memory", numaAttributes(null, chosenNodeset));
                    DefinitionWrites.live(domains, d, running);
                }
            }
            if (target.config()) {
                DomainEditor persistent = DomainEditor.of(d.persistentXml());
                persistent.setTopChildAttrs("numatune", "memory", numaAttributes(chosenMode, chosenNodeset));
                DefinitionWrites.persistent(domains, d, persistent);
            }
        });
    }

    private static Map<String, String> numaAttributes(String mode, String nodeset) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (mode != null) {
            attributes.put("mode", mode);
        }
        if (nodeset != null) {
            attributes.put("nodeset", nodeset);
        }
        return attributes;
    }

    /**
     * virDomainSetInterfaceParameters: a direction given replaces that direction's limits (without an average,
     * or for inbound a floor, it is removed), the other direction stays.
     */
    void setBandwidth(DomainRef ref, String device, List<TypedParameter> params, int flags) {
        BANDWIDTH.validate(params);
        Map<String, Map<String, Long>> given = new LinkedHashMap<>();
        for (TypedParameter param : params) {
            String[] parts = param.field().split("\\.");
            given.computeIfAbsent(parts[0], k -> new LinkedHashMap<>()).put(parts[1],
                TypedParameterSchema.number(param));
        }
        domains.lockedDo(ref, (d, hv) -> {
            DriverDomains.Affected target = domains.affected(d, flags);
            DomainEditor running = target.live() ? DomainEditor.of(d.currentXml()) : null;
            DomainEditor persistent = target.config() ? DomainEditor.of(d.persistentXml()) : null;
            int liveIndex = running == null ? -1 : interfaceIndex(running, device);
            int configIndex = persistent == null ? -1 : interfaceIndex(persistent, device);
            if (running != null) {
                Map<String, Map<String, String>> now = bandwidth(running, liveIndex);
                Map<String, Map<String, String>> next = mergeBandwidth(now, given);
                hv.setLiveBandwidth(domains.handle(d), running.attr("interface", liveIndex, "target", "dev"),
                    numbers(next));
                running.setDeviceGrandchildren("interface", liveIndex, "bandwidth", next, AFTER_BANDWIDTH);
                DefinitionWrites.live(domains, d, running);
            }
            if (persistent != null) {
                Map<String, Map<String, String>> next = mergeBandwidth(bandwidth(persistent, configIndex), given);
                persistent.setDeviceGrandchildren("interface", configIndex, "bandwidth", next, AFTER_BANDWIDTH);
                DefinitionWrites.persistent(domains, d, persistent);
            }
        });
    }

    private int interfaceIndex(DomainEditor def, String device) {
        for (int i = 0; i < def.count("interface"); i++) {
            if (device.equals(def.attr("interface", i, "target", "dev"))
                || device.equalsIgnoreCase(String.valueOf(def.attr("interface", i, "mac", "address")))) {
                return i;
            }
        }
        throw VirtErrors.invalidArg(domains.from(), "'" + device + "' is not a known interface");
    }

    private static Map<String, Map<String, String>> bandwidth(DomainEditor def, int index) {
        Map<String, Map<String, String>> now = new LinkedHashMap<>();
        now.put("inbound", def.deviceGrandchild("interface", index, "bandwidth", "inbound"));
        now.put("outbound", def.deviceGrandchild("interface", index, "bandwidth", "outbound"));
        return now;
    }

    static Map<String, Map<String, String>> mergeBandwidth(Map<String, Map<String, String>> now,
                                                           Map<String, Map<String, Long>> given) {
        Map<String, Map<String, String>> next = new LinkedHashMap<>();
        for (String direction : List.of("inbound", "outbound")) {
            Map<String, Long> values = given.get(direction);
            if (values == null) {
                next.put(direction, now.getOrDefault(direction, Map.of()));
                continue;
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            boolean kept = values.getOrDefault("average", 0L) != 0 || values.getOrDefault("floor", 0L) != 0;
            for (String field : List.of("average", "peak", "burst", "floor")) {
                long value = values.getOrDefault(field, 0L);
                if (kept && value != 0) {
                    attributes.put(field, Long.toString(value));
                }
            }
            next.put(direction, attributes);
        }
        return next;
    }

    private static Map<String, Map<String, Long>> numbers(Map<String, Map<String, String>> bandwidth) {
        Map<String, Map<String, Long>> numbers = new LinkedHashMap<>();
        bandwidth.forEach((direction, values) -> {
            Map<String, Long> parsed = new LinkedHashMap<>();
            values.forEach((k, v) -> parsed.put(k, Long.parseLong(v)));
            numbers.put(direction, parsed);
        });
        return numbers;
    }

    /** virDomainSetPerfEvents: events named as virDomainGetPerfEvents names them, enabled or disabled. */
    void setPerfEvents(DomainRef ref, List<TypedParameter> params, int flags) {
        Map<String, TypedParameter.Type> fields = new LinkedHashMap<>();
        DomainParameters.PERF_EVENTS.forEach(e -> fields.put(e, TypedParameter.Type.BOOLEAN));
        new TypedParameterSchema(fields).validate(params);
        Map<String, Boolean> events = new LinkedHashMap<>();
        params.forEach(p -> events.put(p.field(), ((Integer) p.value()) != 0));
        domains.lockedDo(ref, (d, hv) -> {
            DriverDomains.Affected target = domains.affected(d, flags);
            if (target.live()) {
                DomainEditor running = DomainEditor.of(d.currentXml());
                Map<String, String> enabled = running.childAttributes("perf", "event", "name", "enabled");
                events.forEach((name, on) -> {
                    if (on && !"yes".equals(enabled.get(name))) {
                        hv.enableLivePerfEvent(domains.handle(d), name);
                    }
                });
                running.setPerfEvents(events);
                DefinitionWrites.live(domains, d, running);
            }
            if (target.config()) {
                DomainEditor persistent = DomainEditor.of(d.persistentXml());
                persistent.setPerfEvents(events);
                DefinitionWrites.persistent(domains, d, persistent);
            }
        });
    }

    /** virDomainSetLifecycleAction with the QEMU driver's rules on which actions each event takes. */
    void setLifecycleAction(DomainRef ref, int type, int action, int flags) {
        if (type < 0 || type >= LIFECYCLE.size()) {
            throw VirtErrors.invalidArg(ErrorDomain.DOMAIN, "invalid lifecycle type '" + type + "'");
        }
        if (action < 0 || action >= ACTIONS.size()) {
            throw VirtErrors.invalidArg(ErrorDomain.DOMAIN, "invalid lifecycle action '" + action + "'");
        }
        String element = LIFECYCLE.get(type);
        String name = ACTIONS.get(action);
        if (!element.equals("on_crash") && name.startsWith("coredump-")) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN,
                "Lifecycle event '" + element + "' doesn't support '" + name + "' action");
        }
        domains.lockedDo(ref, (d, hv) -> {
            DriverDomains.Affected target = domains.affected(d, flags);
            if (target.config() || target.live()) {
                checkDriverSupports(element, name);
            }
            if (target.live()) {
                hv.setLiveLifecycleAction(domains.handle(d), element, name);
                DomainEditor running = DomainEditor.of(d.currentXml());
                running.setTopText(element, name);
                DefinitionWrites.live(domains, d, running);
            }
            if (target.config()) {
                DomainEditor persistent = DomainEditor.of(d.persistentXml());
                persistent.setTopText(element, name);
                DefinitionWrites.persistent(domains, d, persistent);
            }
        });
    }

    /** libvirt's QEMU driver takes neither preserve on power-off or reboot nor rename-restart anywhere. */
    private void checkDriverSupports(String element, String action) {
        if (!"qemu".equals(domains.driverName())) {
            return;
        }
        if (action.equals("preserve") && !element.equals("on_crash")) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, domains.from(),
                "qemu driver doesn't support the 'preserve' action for 'on_reboot'/'on_poweroff'");
        }
        if (action.equals("rename-restart")) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, domains.from(),
                "qemu driver doesn't support the 'rename-restart' action for 'on_reboot'/'on_poweroff'/'on_crash'");
        }
    }
}
