package org.jvirtd.core.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.model.domain.CpuSets;
import org.jvirtd.model.domain.DomainEditor;

/**
 * Tunables read from a domain's live or persistent definition as libvirt's QEMU driver reports them: perf
 * events, the NUMA memory policy, IOThreads and their CPUs, an interface's bandwidth.
 */
final class DomainParameters {
    /** virPerfEventType names, in libvirt's order. */
    static final List<String> PERF_EVENTS = List.of("cmt", "mbmt", "mbml", "cpu_cycles", "instructions",
        "cache_references", "cache_misses", "branch_instructions", "branch_misses", "bus_cycles",
        "stalled_cycles_frontend", "stalled_cycles_backend", "ref_cpu_cycles", "cpu_clock", "task_clock",
        "page_faults", "context_switches", "cpu_migrations", "page_faults_min", "page_faults_maj",
        "alignment_faults", "emulation_faults");
    /** virDomainNumatuneMemMode numbers. */
    private static final List<String> NUMA_MODES = List.of("strict", "preferred", "interleave", "restrictive");

    private final DriverDomains domains;

    DomainParameters(DriverDomains domains) {
        this.domains = domains;
    }

    /** The definition a query with AFFECT_* flags reads (AFFECT_CURRENT: the live one while running). */
    private DomainEditor definition(DomainRef ref, int flags) {
        String xml = domains.locked(ref, (d, hv) -> {
            boolean live = (flags & 1) != 0 || (flags & 3) == 0 && d.isActive();
            if (live) {
                domains.requireActive(d);
                return d.currentXml();
            }
            if (!d.isPersistent()) {
                throw VirtErrors.operationInvalid(domains.from(), "transient domains do not have any persistent config");
            }
            return d.persistentXml();
        });
        return DomainEditor.of(xml);
    }

    /** virDomainGetPerfEvents: every event libvirt knows, enabled where {@code <perf>} says so. */
    List<TypedParameter> perfEvents(DomainRef ref, int flags) {
        Map<String, String> enabled = definition(ref, flags).childAttributes("perf", "event", "name", "enabled");
        List<TypedParameter> params = new ArrayList<>();
        for (String event : PERF_EVENTS) {
            params.add(new TypedParameter(event, TypedParameter.Type.BOOLEAN, "yes".equals(enabled.get(event))));
        }
        return params;
    }

    /** virDomainGetNumaParameters: numa_mode (virDomainNumatuneMemMode) and numa_nodeset. */
    List<TypedParameter> numaParameters(DomainRef ref, int flags) {
        DomainEditor doc = definition(ref, flags);
        String mode = doc.topAttr("numatune", "memory", "mode");
        String nodeset = doc.topAttr("numatune", "memory", "nodeset");
        return List.of(new TypedParameter("numa_mode", TypedParameter.Type.INT,
                Math.max(0, NUMA_MODES.indexOf(mode == null ? "strict" : mode))),
            new TypedParameter("numa_nodeset", TypedParameter.Type.STRING, nodeset == null ? "" : nodeset));
    }

    /** virDomainGetIOThreadInfo: each IOThread's id and the host CPUs it may use (its pin, else all). */
    List<Map.Entry<Integer, BitSet>> iothreadInfo(DomainRef ref, int flags) {
        DomainEditor doc = definition(ref, flags);
        List<Integer> ids = doc.iothreadIds();
        Map<String, String> pins = doc.childAttributes("cputune", "iothreadpin", "iothread", "cpuset");
        BitSet all = HostStatistics.SYSTEM.cpuMap(0).online();
        List<Map.Entry<Integer, BitSet>> info = new ArrayList<>();
        for (int id : ids) {
            String pin = pins.get(Integer.toString(id));
            info.add(Map.entry(id, pin == null ? (BitSet) all.clone() : CpuSets.parse(pin)));
        }
        return info;
    }

    /**
     * virDomainGetInterfaceParameters: the {@code <bandwidth>} of the interface named by target device or MAC
     * address, in libvirt's order, 0 where not set. A null device asks only which parameters there are (libvirt
     * answers that count without looking for the interface).
     */
    List<TypedParameter> interfaceParameters(DomainRef ref, String device, int flags) {
        DomainEditor doc = definition(ref, flags);
        if (device == null) {
            return bandwidth(Map.of(), Map.of());
        }
        int index = -1;
        for (int i = 0; i < doc.count("interface"); i++) {
            if (device.equals(doc.attr("interface", i, "target", "dev"))
                || device.equalsIgnoreCase(String.valueOf(doc.attr("interface", i, "mac", "address")))) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            throw VirtErrors.invalidArg(domains.from(), "'" + device + "' is not a known interface");
        }
        return bandwidth(doc.deviceGrandchild("interface", index, "bandwidth", "inbound"),
            doc.deviceGrandchild("interface", index, "bandwidth", "outbound"));
    }

    private static List<TypedParameter> bandwidth(Map<String, String> inbound, Map<String, String> outbound) {
        List<TypedParameter> params = new ArrayList<>();
        for (String direction : List.of("inbound", "outbound")) {
            Map<String, String> rate = direction.equals("inbound") ? inbound : outbound;
            for (String field : direction.equals("inbound") ? List.of("average", "peak", "burst", "floor")
                : List.of("average", "peak", "burst")) {
                String value = rate.get(field);
                params.add(TypedParameter.ofUint(direction + "." + field, value == null ? 0 : Long.parseLong(value)));
            }
        }
        return params;
    }
}
