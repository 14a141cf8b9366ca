package org.jvirtd.model.domain;

import java.util.UUID;

import org.w3c.dom.Document;

/**
 * A parsed domain definition: the facts every layer needs typed, and the document it came from for the
 * parts that are written back as they were read.
 */
public final class DomainDef {
    private final String type;
    private final String name;
    private final UUID uuid;
    private final long memoryKiB;
    private final long currentMemoryKiB;
    private final int vcpus;
    private final String osType;
    private final Document document;

    DomainDef(String type, String name, UUID uuid, long memoryKiB, long currentMemoryKiB, int vcpus,
              String osType, Document document) {
        this.type = type;
        this.name = name;
        this.uuid = uuid;
        this.memoryKiB = memoryKiB;
        this.currentMemoryKiB = currentMemoryKiB;
        this.vcpus = vcpus;
        this.osType = osType;
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

    public int vcpus() {
        return vcpus;
    }

    /** The os/type element: hvm, linux, exe, xen. */
    public String osType() {
        return osType;
    }

    Document document() {
        return document;
    }
}
