package org.jvirtd.core.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.model.domain.DomainEditor;

/**
 * A disk's I/O throttle (blkdeviotune): read from the running hypervisor or from the disk's {@code <iotune>},
 * changed with libvirt 9.0's merge rules (a family given replaces the whole family), checks and messages.
 */
final class BlockIoTune {
    /** virDomainGetBlockIoTune's parameters in libvirt's order, which is also {@code <iotune>}'s. */
    static final List<String> FIELDS = List.of("total_bytes_sec", "read_bytes_sec", "write_bytes_sec",
        "total_iops_sec", "read_iops_sec", "write_iops_sec", "total_bytes_sec_max", "read_bytes_sec_max",
        "write_bytes_sec_max", "total_iops_sec_max", "read_iops_sec_max", "write_iops_sec_max", "size_iops_sec",
        "group_name", "total_bytes_sec_max_length", "read_bytes_sec_max_length", "write_bytes_sec_max_length",
        "total_iops_sec_max_length", "read_iops_sec_max_length", "write_iops_sec_max_length");
    static final String GROUP = "group_name";
    /** QEMU_BLOCK_IOTUNE_MAX. */
    private static final long LIMIT = 1_000_000_000_000_000L;
    /** The families libvirt sets as a whole: giving one member resets the others of its family to 0. */
    private static final List<String> FAMILIES = List.of("bytes_sec", "iops_sec", "bytes_sec_max", "iops_sec_max",
        "bytes_sec_max_length", "iops_sec_max_length");
    /** What may follow {@code <iotune>} in a disk, in libvirt's order. */
    private static final List<String> AFTER_IOTUNE = List.of("boot", "readonly", "shareable", "transient",
        "serial", "wwn", "vendor", "product", "encryption", "alias", "address");
    private static final TypedParameterSchema SCHEMA = schema();

    private final DriverDomains domains;

    BlockIoTune(DriverDomains domains) {
        this.domains = domains;
    }

    private static TypedParameterSchema schema() {
        Map<String, TypedParameter.Type> fields = new LinkedHashMap<>();
        FIELDS.forEach(f -> fields.put(f, f.equals(GROUP) ? TypedParameter.Type.STRING : TypedParameter.Type.ULLONG));
        return new TypedParameterSchema(fields);
    }

    /**
     * virDomainGetBlockIoTune: every parameter, group_name too whether or not the caller said it takes strings
     * (libvirtd 9.0 answers virsh and the Python binding, which do not say so, with it).
     */
    List<TypedParameter> get(DomainRef ref, String disk, int flags) {
        int affect = DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG;
        if ((flags & affect) == affect) {
            throw VirtErrors.badArgument(ErrorDomain.DOMAIN,
                "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
        }
        return domains.locked(ref, (d, hv) -> {
            DriverDomains.Affected target = domains.affected(d, flags & affect);
            Map<String, Object> values;
            if (disk == null) {
                values = Map.of();
            } else if (target.live()) {
                DomainEditor running = DomainEditor.of(d.currentXml());
                values = hv.liveBlockIoTune(domains.handle(d), running.attr("disk", diskIndex(running, disk),
                    "target", "dev"));
            } else {
                DomainEditor persistent = DomainEditor.of(d.persistentXml());
                values = new LinkedHashMap<>(persistent.deviceChildTexts("disk", diskIndex(persistent, disk),
                    "iotune"));
            }
            List<TypedParameter> params = new java.util.ArrayList<>();
            for (String field : FIELDS) {
                Object value = values.get(field);
                if (field.equals(GROUP)) {
                    params.add(new TypedParameter(GROUP, TypedParameter.Type.STRING,
                        value == null ? "" : value.toString()));
                } else {
                    params.add(TypedParameter.ofUllong(field, value == null ? 0 : Long.parseLong(value.toString())));
                }
            }
            return params;
        });
    }

    /** virDomainSetBlockIoTune. */
    void set(DomainRef ref, String disk, List<TypedParameter> params, int flags) {
        SCHEMA.validate(params);
        Map<String, Object> given = new LinkedHashMap<>();
        for (TypedParameter param : params) {
            if (param.field().equals(GROUP)) {
                given.put(GROUP, param.value());
            } else {
                long value = TypedParameterSchema.number(param);
                if (value > LIMIT || value < 0) {
                    throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, domains.from(),
                        "block I/O throttle limit value must be no more than " + LIMIT);
                }
                given.put(param.field(), value);
            }
        }
        for (String family : FAMILIES.subList(0, 4)) {
            if (given.containsKey("total_" + family)
                && (given.containsKey("read_" + family) || given.containsKey("write_" + family))) {
                throw VirtErrors.invalidArg(domains.from(), "total and read/write of " + family
                    + " cannot be set at the same time");
            }
        }
        domains.lockedDo(ref, (d, hv) -> {
            DriverDomains.Affected target = domains.affected(d, flags);
            DomainEditor running = target.live() ? DomainEditor.of(d.currentXml()) : null;
            DomainEditor persistent = target.config() ? DomainEditor.of(d.persistentXml()) : null;
            int liveIndex = running == null ? -1 : diskIndex(running, disk);
            int configIndex = persistent == null ? -1 : diskIndex(persistent, disk);
            if (running != null) {
                String dev = running.attr("disk", liveIndex, "target", "dev");
                Map<String, Object> old = hv.liveBlockIoTune(domains.handle(d), dev);
                Map<String, Object> merged = merge(old, given);
                checkMaxima(merged, given);
                dropGroupOfReset(merged, given, old);
                hv.setLiveBlockIoTune(domains.handle(d), dev, merged);
                Map<String, Object> kept = new LinkedHashMap<>(merged);
                if (!given.containsKey(GROUP)) {
                    kept.put(GROUP, running.deviceChildTexts("disk", liveIndex, "iotune").get(GROUP));
                }
                running.setDeviceChildTexts("disk", liveIndex, "iotune", texts(kept), AFTER_IOTUNE);
                DefinitionWrites.live(domains, d, running);
                // VIR_DOMAIN_TUNABLE_BLKDEV_*: the disk as named, then the fields as given
                List<TypedParameter> changed = new java.util.ArrayList<>();
                changed.add(new TypedParameter("blkdeviotune.disk", TypedParameter.Type.STRING, disk));
                params.forEach(p -> changed.add(new TypedParameter("blkdeviotune." + p.field(), p.type(), p.value())));
                domains.publishTunable(d, hv, changed);
            }
            if (persistent != null) {
                Map<String, Object> old = new LinkedHashMap<>(persistent.deviceChildTexts("disk", configIndex,
                    "iotune"));
                Map<String, Object> merged = merge(old, given);
                dropGroupOfReset(merged, given, old);
                persistent.setDeviceChildTexts("disk", configIndex, "iotune", texts(merged), AFTER_IOTUNE);
                DefinitionWrites.persistent(domains, d, persistent);
            }
        });
    }

    /** The disk named by target or source file; libvirt's message when there is none. */
    private int diskIndex(DomainEditor def, String disk) {
        for (int i = 0; i < def.count("disk"); i++) {
            if (disk.equals(def.attr("disk", i, "target", "dev")) || disk.equals(def.attr("disk", i, "source", "file"))
                || disk.equals(def.attr("disk", i, "source", "dev"))) {
                return i;
            }
        }
        throw VirtErrors.invalidArg(domains.from(), "disk '" + disk + "' not found in domain");
    }

    /**
     * The new throttle: each family given is taken whole from the call (members not given become 0), the others
     * stay; a cleared burst length whose family still has a rate becomes 1, as QEMU would default it.
     */
    static Map<String, Object> merge(Map<String, Object> old, Map<String, Object> given) {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (String field : FIELDS) {
            if (field.equals(GROUP) || field.equals("size_iops_sec")) {
                Object value = given.containsKey(field) ? given.get(field) : old.get(field);
                if (value != null) {
                    merged.put(field, value);
                }
                continue;
            }
            merged.put(field, familyGiven(given, field) ? given.getOrDefault(field, 0L) : value(old.get(field)));
        }
        for (String field : FIELDS) {
            if (field.endsWith("_max_length") && familyGiven(given, field) && value(old.get(field)) != 0
                && value(merged.get(field)) == 0) {
                String rate = field.substring(0, field.length() - "_max_length".length());
                merged.put(field, value(merged.get(rate)) != 0 || value(merged.get(rate + "_max")) != 0 ? 1L : 0L);
            }
        }
        return merged;
    }

    private static boolean familyGiven(Map<String, Object> given, String field) {
        return given.keySet().stream().anyMatch(g -> !g.equals(GROUP) && family(g).equals(family(field)));
    }

    /** total_bytes_sec_max -> bytes_sec_max: the family a field belongs to. */
    private static String family(String field) {
        return field.substring(field.indexOf('_') + 1);
    }

    private static long value(Object value) {
        return value == null ? 0 : Long.parseLong(value.toString());
    }

    /** A burst (_max) needs its rate, and cannot be below it. */
    private void checkMaxima(Map<String, Object> merged, Map<String, Object> given) {
        for (String rate : List.of("total_bytes_sec", "read_bytes_sec", "write_bytes_sec", "total_iops_sec",
            "read_iops_sec", "write_iops_sec")) {
            long base = value(merged.get(rate));
            long max = value(merged.get(rate + "_max"));
            if (max == 0) {
                continue;
            }
            if (base == 0) {
                boolean rateFamilyGiven = given.keySet().stream().anyMatch(g -> family(g).equals(family(rate)));
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, domains.from(), rateFamilyGiven
                    ? "cannot reset '" + rate + "' when '" + rate + "_max' is set"
                    : "value '" + rate + "_max' cannot be set if '" + rate + "' is not set");
            }
            if (max < base) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, domains.from(),
                    "value '" + rate + "_max' cannot be smaller than '" + rate + "'");
            }
        }
    }

    /** All zero removes the throttle and its group; a new group with nothing to throttle is refused. */
    private void dropGroupOfReset(Map<String, Object> merged, Map<String, Object> given, Map<String, Object> old) {
        boolean any = merged.entrySet().stream().anyMatch(e -> !e.getKey().equals(GROUP) && value(e.getValue()) != 0);
        if (any) {
            return;
        }
        Object group = given.get(GROUP);
        if (group != null && !group.equals(old.get(GROUP))) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, domains.from(),
                "creating a new group/updating existing with all tune parameters zero is not supported");
        }
        merged.remove(GROUP);
    }

    /** The values {@code <iotune>} keeps: those not 0, and the group name. */
    private static Map<String, String> texts(Map<String, Object> values) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (String field : FIELDS) {
            Object value = values.get(field);
            if (value != null && !value.toString().isEmpty() && !"0".equals(value.toString())) {
                texts.put(field, value.toString());
            }
        }
        return texts;
    }
}
