package org.jvirtd.model.snapshot;

import java.util.List;

/**
 * A domain snapshot as libvirt's {@code <domainsnapshot>} describes it: name, description, the domain's state
 * when it was taken ({@code running}, {@code paused}, {@code shutoff}, {@code disk-snapshot}, ...), its parent in
 * the tree, the creation time in seconds, where the memory went ({@code no}, {@code internal}, {@code external}
 * with a file), its disks, and the domain definitions it saved (the running one and, for an active domain, the
 * persistent one), each as domain XML or null.
 */
public record SnapshotDef(String name, String description, String state, String parent, long creationTime,
                          String memory, String memoryFile, List<SnapshotDisk> disks, String domainXml,
                          String inactiveDomainXml) {
    public SnapshotDef {
        disks = List.copyOf(disks);
    }

    public SnapshotDef withParent(String newParent) {
        return new SnapshotDef(name, description, state, newParent, creationTime, memory, memoryFile, disks,
            domainXml, inactiveDomainXml);
    }

    public SnapshotDef withDisks(List<SnapshotDisk> newDisks) {
        return new SnapshotDef(name, description, state, parent, creationTime, memory, memoryFile, newDisks,
            domainXml, inactiveDomainXml);
    }

    public SnapshotDef withMemory(String how, String file) {
        return new SnapshotDef(name, description, state, parent, creationTime, how, file, disks, domainXml,
            inactiveDomainXml);
    }

    /** The same snapshot with other saved definitions (their disks moved when an older snapshot was deleted). */
    public SnapshotDef withDomains(String domain, String inactiveDomain) {
        return new SnapshotDef(name, description, state, parent, creationTime, memory, memoryFile, disks, domain,
            inactiveDomain);
    }

    public SnapshotDef withDescription(String text) {
        return new SnapshotDef(name, text, state, parent, creationTime, memory, memoryFile, disks, domainXml,
            inactiveDomainXml);
    }

    /** The snapshot taken of a domain: its name, time, state and saved definitions filled in. */
    public SnapshotDef taken(String newName, long time, String newState, String newParent, String domain,
                             String inactiveDomain) {
        return new SnapshotDef(newName, description, newState, newParent, time, memory, memoryFile, disks, domain,
            inactiveDomain);
    }

    /** libvirt's location of a snapshot: external when memory or a disk went to a new file. */
    public boolean isExternal() {
        return "external".equals(memory) || disks.stream().anyMatch(SnapshotDisk::isExternal);
    }

    public boolean isInternal() {
        return !isExternal() && ("internal".equals(memory) || disks.stream().anyMatch(SnapshotDisk::isInternal));
    }

    public boolean isDiskOnly() {
        return "disk-snapshot".equals(state);
    }

    /** Whether a revert to it ends with the domain running or paused (the snapshot saved memory). */
    public boolean isActiveState() {
        return "running".equals(state) || "paused".equals(state) || "blocked".equals(state);
    }
}
