package org.jvirtd.core.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.driver.HypervisorDriver;
import org.jvirtd.model.domain.CpuSets;
import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.model.domain.DomainEditor;
import org.jvirtd.model.domain.DomainXml;

/**
 * The calls that change or poke a domain as it runs, with libvirt's flag rules: vCPU counts (online and
 * maximum, live by hotplug or for the next boot), key presses, NMI and reset.
 */
final class DomainTuning {
    private static final int AFFECT = DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG;

    private final DriverDomains domains;

    DomainTuning(DriverDomains domains) {
        this.domains = domains;
    }

    /**
     * virDomainGetVcpusFlags: online or (VCPU_MAXIMUM) maximum vCPUs of the live or the persistent definition;
     * a config count with VCPU_GUEST is refused.
     */
    int vcpuCount(DomainRef ref, int flags) {
        return domains.locked(ref, (d, hv) -> {
            if ((flags & AFFECT) == AFFECT) {
                throw VirtErrors.invalidArg(domains.from(),
                    "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
            }
            DriverDomains.Affected target = readTarget(d, flags);
            if ((flags & DomainFlags.VCPU_GUEST) != 0) {
                // the live guest's count comes from the agent (CoreConnection); the config has none
                throw VirtErrors.invalidArg(domains.from(), "vCPU count provided by the guest agent can only be "
                    + "requested for live domains");
            }
            DomainDef def = DomainXml.parse(target.live() ? d.currentXml() : d.persistentXml());
            return (flags & DomainFlags.VCPU_MAXIMUM) != 0 ? def.vcpus() : def.currentVcpus();
        });
    }

    /** virDomainSetVcpusFlags. */
    void setVcpus(DomainRef ref, int count, int flags) {
        domains.lockedDo(ref, (d, hv) -> {
            boolean maximum = (flags & DomainFlags.VCPU_MAXIMUM) != 0;
            DriverDomains.Affected target = domains.affected(d, flags);
            if (maximum && target.live()) {
                throw VirtErrors.invalidArg(domains.from(), "maximum vcpu count of a live domain can't be modified");
            }
            if (count < 1) {
                throw VirtErrors.invalidArg(domains.from(), "Can't set 0 processors for a VM");
            }
            DomainDef persistent = target.config() ? DomainXml.parse(d.persistentXml()) : null;
            if (persistent != null && !maximum && count > persistent.vcpus()) {
                throw VirtErrors.invalidArg(domains.from(), "requested vcpus is greater than max allowable vcpus "
                    + "for the persistent domain: " + count + " > " + persistent.vcpus());
            }
            if (target.live()) {
                DomainDef live = DomainXml.parse(d.currentXml());
                if (count > live.vcpus()) {
                    throw VirtErrors.invalidArg(domains.from(), "requested vcpus is greater than max allowable "
                        + "vcpus for the live domain: " + count + " > " + live.vcpus());
                }
                if (count != live.currentVcpus()) {
                    setLive(d, hv, live, count);
                }
            }
            if (persistent != null) {
                DomainEditor editor = DomainEditor.of(d.persistentXml());
                if (maximum) {
                    editor.setVcpus(count, Math.min(persistent.currentVcpus(), count));
                } else {
                    editor.setVcpus(persistent.vcpus(), count);
                }
                replacePersistent(d, editor.format(-1, DomainStore.STORED_FORM));
            }
        });
    }

    private void setLive(DomainObject d, HypervisorDriver hv, DomainDef live, int count) {
        try {
            hv.setLiveVcpus(domains.handle(d), count);
        } catch (VirtException e) {
            if (e.code() != ErrorCode.NO_SUPPORT) {
                // a partial hotplug or unplug still changes what runs: record what the guest has now
                recordLive(d, live.vcpus(), hv.onlineVcpus(domains.handle(d)));
            }
            throw e;
        }
        recordLive(d, live.vcpus(), count);
    }

    private void recordLive(DomainObject d, int maximum, int online) {
        DomainEditor running = DomainEditor.of(d.currentXml());
        running.setVcpus(maximum, online);
        d.setLiveXml(running.format(d.id(), DomainXml.SECURE | DomainXml.STATUS));
        domains.store().writeStatus(d);
    }

    /**
     * The host CPUs each vCPU may use, from the live or the persistent definition's pins; an unpinned vCPU may
     * use every online host CPU, as libvirt reports it.
     */
    List<BitSet> vcpuPinInfo(DomainRef ref, boolean config) {
        return domains.locked(ref, (d, hv) -> {
            DomainDef def = DomainXml.parse(definition(d, config));
            Map<Integer, BitSet> pins = def.vcpuPins();
            BitSet all = HostStatistics.SYSTEM.cpuMap(0).online();
            List<BitSet> maps = new ArrayList<>();
            for (int i = 0; i < def.vcpus(); i++) {
                maps.add((BitSet) pins.getOrDefault(i, all).clone());
            }
            return maps;
        });
    }

    /** The emulator threads' host CPUs: the definition's emulatorpin, or every online host CPU. */
    BitSet emulatorPinInfo(DomainRef ref, boolean config) {
        return domains.locked(ref, (d, hv) -> {
            BitSet pin = DomainXml.parse(definition(d, config)).emulatorPin();
            return pin != null ? pin : HostStatistics.SYSTEM.cpuMap(0).online();
        });
    }

    /**
     * virDomainPinVcpuFlags ({@code vcpu} >= 0) and virDomainPinEmulator (vcpu -1): the running threads' affinity
     * and the live definition, and/or the persistent definition.
     */
    void pin(DomainRef ref, int vcpu, BitSet cpus, int flags) {
        domains.lockedDo(ref, (d, hv) -> {
            DriverDomains.Affected target = domains.affected(d, flags);
            if (cpus.isEmpty()) {
                throw VirtErrors.invalidArg(domains.from(), "Empty cpu list for pinning");
            }
            DomainDef persistent = target.config() ? DomainXml.parse(d.persistentXml()) : null;
            if (target.live()) {
                DomainDef live = DomainXml.parse(d.currentXml());
                if (vcpu >= live.vcpus()) {
                    throw VirtErrors.invalidArg(domains.from(), "vcpu " + vcpu + " is out of range of live cpu count "
                        + live.vcpus());
                }
            }
            if (persistent != null && vcpu >= persistent.vcpus()) {
                throw VirtErrors.invalidArg(domains.from(), "vcpu " + vcpu + " is out of range of persistent cpu count "
                    + persistent.vcpus());
            }
            if (target.live()) {
                if (vcpu < 0) {
                    hv.pinEmulator(domains.handle(d), cpus);
                } else {
                    hv.pinVcpu(domains.handle(d), vcpu, cpus);
                }
                DomainEditor running = DomainEditor.of(d.currentXml());
                running.setPin(vcpu, cpus);
                d.setLiveXml(running.format(d.id(), DomainXml.SECURE | DomainXml.STATUS));
                domains.store().writeStatus(d);
                String field = vcpu < 0 ? "cputune.emulatorpin" : "cputune.vcpupin" + vcpu;
                domains.publishTunable(d, hv, List.of(new TypedParameter(field, TypedParameter.Type.STRING,
                    CpuSets.format(cpus))));
            }
            if (persistent != null) {
                DomainEditor editor = DomainEditor.of(d.persistentXml());
                editor.setPin(vcpu, cpus);
                replacePersistent(d, editor.format(-1, DomainStore.STORED_FORM));
            }
        });
    }

    /** The live definition, or the persistent one for {@code config} (the live one of a transient domain). */
    private String definition(DomainObject d, boolean config) {
        if (!config) {
            domains.requireActive(d);
        }
        return config && d.isPersistent() ? d.persistentXml() : d.currentXml();
    }

    /** virDomainGetMaxMemory: the maximum memory of the live definition (the persistent one when shut off). */
    long maxMemory(DomainRef ref) {
        return domains.locked(ref, (d, hv) -> DomainXml.parse(d.currentXml()).memoryKiB());
    }

    void sendKey(DomainRef ref, int codeset, int holdtimeMs, int[] keycodes) {
        domains.lockedDo(ref, (d, hv) -> {
            int[] qnum = Keycodes.toQnum(domains.from(), codeset, keycodes);
            domains.requireActive(d);
            hv.sendKey(domains.handle(d), qnum, holdtimeMs);
        });
    }

    void injectNmi(DomainRef ref) {
        domains.lockedDo(ref, (d, hv) -> {
            domains.requireActive(d);
            hv.injectNmi(domains.handle(d));
        });
    }

    void reset(DomainRef ref) {
        domains.lockedDo(ref, (d, hv) -> {
            domains.requireActive(d);
            hv.reset(domains.handle(d));
        });
    }

    /**
     * virDomainSetVcpu: vCPUs of {@code cpumap} enabled or disabled, live by hotplug and/or in the persistent
     * definition. jvirtd keeps a definition's online vCPUs as a count ({@code <vcpu current>}), so only a change
     * that leaves vCPUs 0..n-1 online can be kept there.
     */
    void setVcpu(DomainRef ref, String cpumap, boolean enable, int flags) {
        BitSet map;
        try {
            map = org.jvirtd.model.domain.CpuSets.parse(cpumap);
        } catch (RuntimeException e) {
            throw VirtErrors.invalidArg(org.jvirtd.api.ErrorDomain.NONE, "Failed to parse bitmap '" + cpumap + "'");
        }
        if (map.isEmpty()) {
            throw VirtErrors.invalidArg(domains.from(), "no vcpus selected for modification");
        }
        domains.lockedDo(ref, (d, hv) -> {
            DriverDomains.Affected target = domains.affected(d, flags);
            DomainDef persistent = target.config() ? DomainXml.parse(d.persistentXml()) : null;
            int configOnline = -1;
            if (persistent != null) {
                checkModifiable(map, persistent.vcpus(), "persistent");
                configOnline = onlineAfter(persistent.currentVcpus(), persistent.vcpus(), map, enable);
            }
            if (target.live()) {
                DomainDef live = DomainXml.parse(d.currentXml());
                checkModifiable(map, live.vcpus(), "live");
                for (int vcpu = map.nextSetBit(0); vcpu >= 0; vcpu = map.nextSetBit(vcpu + 1)) {
                    try {
                        hv.setLiveVcpu(domains.handle(d), vcpu, enable);
                    } finally {
                        recordLive(d, live.vcpus(), hv.onlineVcpus(domains.handle(d)));
                    }
                }
            }
            if (persistent != null) {
                DomainEditor editor = DomainEditor.of(d.persistentXml());
                editor.setVcpus(persistent.vcpus(), configOnline);
                replacePersistent(d, editor.format(-1, DomainStore.STORED_FORM));
            }
        });
    }

    private void checkModifiable(BitSet map, int maximum, String which) {
        if (map.get(0)) {
            throw VirtErrors.invalidArg(domains.from(), "vCPU '0' can't be modified");
        }
        if (map.length() > maximum) {
            throw VirtErrors.invalidArg(domains.from(), "vcpu " + (map.length() - 1) + " is not present in " + which
                + " config");
        }
    }

    /** The online count after the change, when vCPUs 0..n-1 stay exactly the online ones. */
    private int onlineAfter(int online, int maximum, BitSet map, boolean enable) {
        BitSet next = new BitSet();
        next.set(0, online);
        if (enable) {
            next.or(map);
        } else {
            next.andNot(map);
        }
        if (next.nextClearBit(0) != next.cardinality()) {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, domains.from(), "jvirtd keeps the online vCPUs "
                + "of a definition as a count (<vcpu current>): vCPUs 0-" + (next.cardinality() - 1)
                + " would have to be the online ones");
        }
        return Math.min(next.cardinality(), maximum);
    }

    /**
     * virDomainPMSuspendForDuration: the guest suspends itself through the driver (its agent), unless the
     * definition's {@code <pm>} disables that state.
     */
    void pmSuspend(DomainRef ref, int target, long duration) {
        if (duration != 0) {
            throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, domains.from(),
                "Duration not supported. Use 0 for now");
        }
        if (target < 0 || target > 2) {
            throw VirtErrors.invalidArg(domains.from(), "Unknown suspend target: " + target);
        }
        domains.lockedDo(ref, (d, hv) -> {
            domains.requireActive(d);
            DomainEditor def = DomainEditor.of(d.currentXml());
            if (target != 1 && "no".equals(def.topAttr("pm", "suspend-to-mem", "enabled"))) {
                throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, domains.from(),
                    "S3 state is disabled for this domain");
            }
            if (target != 0 && "no".equals(def.topAttr("pm", "suspend-to-disk", "enabled"))) {
                throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, domains.from(),
                    "S4 state is disabled for this domain");
            }
            hv.pmSuspend(domains.handle(d), target);
        });
    }

    void pmWakeup(DomainRef ref) {
        domains.lockedDo(ref, (d, hv) -> {
            domains.requireActive(d);
            hv.pmWakeup(domains.handle(d));
        });
    }

    /** virDomainGetDiskErrors of a running domain. */
    Map<String, Integer> diskErrors(DomainRef ref) {
        return domains.locked(ref, (d, hv) -> {
            domains.requireActive(d);
            return hv.diskErrors(domains.handle(d));
        });
    }

    /** virDomainGetSecurityLabelList: the driver's one label while running, none when shut off. */
    List<org.jvirtd.api.connect.Connection.SecurityLabel> securityLabels(DomainRef ref) {
        return domains.locked(ref, (d, hv) -> d.isActive() ? List.of(hv.securityLabel(domains.handle(d)))
            : List.of());
    }

    /** Which definition a query reads: AFFECT_CURRENT is the live one of a running domain. */
    private DriverDomains.Affected readTarget(DomainObject d, int flags) {
        boolean live = (flags & DomainFlags.AFFECT_LIVE) != 0 || (flags & AFFECT) == 0 && d.isActive();
        if (live) {
            domains.requireActive(d);
        } else if (!d.isPersistent()) {
            throw VirtErrors.operationInvalid(domains.from(), "transient domains do not have any persistent config");
        }
        return new DriverDomains.Affected(live, !live);
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
