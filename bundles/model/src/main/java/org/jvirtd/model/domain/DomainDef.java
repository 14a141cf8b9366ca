package org.jvirtd.model.domain;

import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.jvirtd.model.internal.XmlNode;

/**
 * A parsed domain definition: the facts every layer needs typed, and the canonical document for the parts that
 * are written back as they were read.
 */
public final class DomainDef {
    private final String type;
    private final String name;
    private final UUID uuid;
    private final long memoryKiB;
    private final long currentMemoryKiB;
    private final int vcpus;
    private final int currentVcpus;
    private final String osType;
    private final int id;
    private final XmlNode document;

    DomainDef(String type, String name, UUID uuid, long memoryKiB, long currentMemoryKiB, int vcpus,
              int currentVcpus, String osType, int id, XmlNode document) {
        this.type = type;
        this.name = name;
        this.uuid = uuid;
        this.memoryKiB = memoryKiB;
        this.currentMemoryKiB = currentMemoryKiB;
        this.vcpus = vcpus;
        this.currentVcpus = currentVcpus;
        this.osType = osType;
        this.id = id;
        this.document = document;
    }

    /** The domain type attribute: qemu, kvm, lxc, xen, test. */
    public String type() {
        return type;
    }

    public String name() {
        return name;
    }

    public UUID uuid() {
        return uuid;
    }

    public long memoryKiB() {
        return memoryKiB;
    }

    public long currentMemoryKiB() {
        return currentMemoryKiB;
    }

    /** The maximum vCPU count: the vcpu element's value. */
    public int vcpus() {
        return vcpus;
    }

    /** The vCPUs online at boot (the vcpu element's {@code current}), at most {@link #vcpus()}. */
    public int currentVcpus() {
        return currentVcpus;
    }

    /** The os/type element: hvm, linux, exe, xen. */
    public String osType() {
        return osType;
    }

    /** The id a live document carried, -1 for a persistent definition. */
    public int id() {
        return id;
    }

    /** {@code <cputune><vcpupin>}: the host CPUs each pinned vCPU may use, by vCPU number. */
    public Map<Integer, BitSet> vcpuPins() {
        Map<Integer, BitSet> pins = new TreeMap<>();
        XmlNode cputune = document.child("cputune");
        if (cputune != null) {
            for (XmlNode pin : cputune.children("vcpupin")) {
                pins.put(Integer.parseInt(pin.attr("vcpu").strip()), CpuSets.parse(pin.attr("cpuset")));
            }
        }
        return pins;
    }

    /** {@code <cputune><emulatorpin>}: the host CPUs of the emulator's own threads, null when not pinned. */
    public BitSet emulatorPin() {
        XmlNode cputune = document.child("cputune");
        XmlNode pin = cputune == null ? null : cputune.child("emulatorpin");
        return pin == null ? null : CpuSets.parse(pin.attr("cpuset"));
    }

    XmlNode document() {
        return document.deepCopy();
    }
}
