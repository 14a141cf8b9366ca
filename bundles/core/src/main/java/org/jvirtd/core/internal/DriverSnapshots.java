package org.jvirtd.core.internal;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.domain.StateReason;
import org.jvirtd.api.driver.HypervisorDriver;
import org.jvirtd.api.event.DomainEventType;
import org.jvirtd.api.snapshot.SnapshotFlags;
import org.jvirtd.api.snapshot.SnapshotRef;
import org.jvirtd.model.domain.DomainXml;
import org.jvirtd.model.snapshot.SnapshotDef;
import org.jvirtd.model.snapshot.SnapshotOverlays;
import org.jvirtd.model.snapshot.SnapshotXml;

/**
 * The domain snapshots of one driver, the part libvirt keeps out of its hypervisor code: the tree and which
 * snapshot is current, the metadata files, flag checks and the state changes of a revert, all under the domain's
 * lock. The driver does the disk and memory work ({@link HypervisorDriver#createSnapshot} and its siblings).
 */
final class DriverSnapshots {
    private final DriverDomains domains;
    private final SnapshotFiles files;
    private final Map<UUID, SnapshotTree> trees = new ConcurrentHashMap<>();

    DriverSnapshots(DriverDomains domains) {
        this.domains = domains;
        this.files = new SnapshotFiles(domains.stateDir());
    }

    private ErrorDomain from() {
        return domains.errorDomain();
    }

    private SnapshotTree tree(DomainObject d) {
        return trees.computeIfAbsent(d.uuid(), u -> files.load(d.name()));
    }

    private SnapshotDef find(DomainObject d, String name) {
        return tree(d).get(name).orElseThrow(() -> new VirtException(ErrorCode.NO_DOMAIN_SNAPSHOT, from(),
            "no domain snapshot with matching name '" + name + "'"));
    }

    private SnapshotRef ref(DomainObject d, SnapshotDef def) {
        return new SnapshotRef(d.ref(), def.name());
    }

    /** Number of snapshots a domain has (undefine refuses a domain that has any). */
    int count(DomainObject d) {
        return tree(d).size();
    }

    /** Drops a domain's snapshot metadata (undefine with SNAPSHOTS_METADATA); the disks keep their data. */
    void forget(DomainObject d) {
        SnapshotTree tree = tree(d);
        for (SnapshotDef def : tree.all()) {
            files.delete(d.name(), def.name());
        }
        trees.remove(d.uuid());
    }

    // ---- create

    SnapshotRef create(DomainRef domain, String xml, int flags) {
        VirtErrors.checkFlags(from(), flags, SnapshotFlags.Create.ALL, "qemuDomainSnapshotCreateXML");
        if ((flags & SnapshotFlags.Create.QUIESCE) != 0 && (flags & SnapshotFlags.Create.DISK_ONLY) == 0) {
            throw VirtErrors.badArgument(from(), "Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY' is required by flag "
                + "'VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE'");
        }
        return domains.lockedForSnapshot(domain, (d, hv) -> {
            if ((flags & SnapshotFlags.Create.REDEFINE) != 0) {
                return redefine(d, xml, flags);
            }
            SnapshotDef asked = SnapshotXml.parseNew(xml, System.currentTimeMillis() / 1000);
            SnapshotTree tree = tree(d);
            if (tree.get(asked.name()).isPresent()) {
                throw VirtErrors.operationFailed(from(), "domain moment " + asked.name() + " already exists");
            }
            SnapshotDef taken = take(d, hv, asked, flags);
            if ((flags & SnapshotFlags.Create.NO_METADATA) == 0) {
                String previous = tree.current().map(SnapshotDef::name).orElse(null);
                tree.put(taken);
                tree.setCurrent(taken.name());
                files.write(d.name(), taken, true);
                rewrite(d, tree, previous);
            }
            if ((flags & SnapshotFlags.Create.HALT) != 0 && d.isActive()) {
                domains.stopForSnapshot(d, hv);
            }
            return ref(d, taken);
        });
    }

    private SnapshotDef take(DomainObject d, HypervisorDriver hv, SnapshotDef asked, int flags) {
        boolean active = d.isActive();
        boolean diskOnly = (flags & SnapshotFlags.Create.DISK_ONLY) != 0;
        boolean memoryToFile = "external".equals(asked.memory());
        if (memoryToFile && (diskOnly || !active)) {
            throw new VirtException(ErrorCode.XML_ERROR, from(),
                "memory state cannot be saved with offline or disk-only snapshot");
        }
        if (memoryToFile && asked.memoryFile() == null) {
            throw new VirtException(ErrorCode.XML_ERROR, from(), "external memory snapshots require a filename");
        }
        String state = diskOnly ? "disk-snapshot" : !active ? "shutoff"
            : d.state() == DomainState.PAUSED ? "paused" : "running";
        String memory = diskOnly || !active ? "no" : asked.memory() == null ? "internal" : asked.memory();
        String domainXml = active
            ? DomainXml.format(DomainXml.parse(d.liveXml()), -1, DomainXml.MIGRATABLE | DomainXml.SECURE)
            : d.persistentXml();
        String inactiveXml = active && d.isPersistent() ? d.persistentXml() : null;
        String parent = tree(d).current().map(SnapshotDef::name).orElse(null);
        SnapshotDef def = asked.withMemory(memory, memoryToFile ? asked.memoryFile() : null)
            .taken(asked.name(), System.currentTimeMillis() / 1000, state, parent, domainXml, inactiveXml);
        String completed = hv.createSnapshot(domains.runHandle(d), active, SnapshotXml.format(def), flags);
        SnapshotDef done = def.withDisks(SnapshotXml.parse(completed).def().disks());
        if (done.isExternal() && d.isPersistent()) {
            domains.replacePersistentXml(d, SnapshotOverlays.apply(d.persistentXml(), done.disks()));
        }
        return done;
    }

    private SnapshotRef redefine(DomainObject d, String xml, int flags) {
        SnapshotXml.Parsed parsed = SnapshotXml.parse(xml);
        SnapshotDef def = parsed.def();
        if (def.name() == null) {
            throw VirtErrors.invalidArg(from(), "a redefined snapshot must have a name");
        }
        if (def.state() == null) {
            throw VirtErrors.invalidArg(from(), "a redefined snapshot must have a state");
        }
        SnapshotTree tree = tree(d);
        if (def.parent() != null && tree.get(def.parent()).isEmpty()) {
            throw VirtErrors.operationFailed(from(), "parent " + def.parent() + " for moment " + def.name()
                + " not found");
        }
        if (def.parent() != null && (def.parent().equals(def.name())
            || tree.descendants(def.name()).stream().anyMatch(s -> s.name().equals(def.parent())))) {
            throw VirtErrors.invalidArg(from(), "parent " + def.parent() + " would create cycle to "
                + def.name());
        }
        String previous = tree.current().map(SnapshotDef::name).orElse(null);
        tree.put(def);
        boolean current = (flags & SnapshotFlags.Create.CURRENT) != 0 || def.name().equals(previous);
        if (current) {
            tree.setCurrent(def.name());
        }
        files.write(d.name(), def, current);
        if (current) {
            rewrite(d, tree, previous);
        }
        return ref(d, def);
    }

    /** Rewrites one snapshot's file (after the current one changed); null or a missing name does nothing. */
    private void rewrite(DomainObject d, SnapshotTree tree, String name) {
        if (name == null) {
            return;
        }
        tree.get(name).ifPresent(def -> files.write(d.name(), def,
            tree.current().map(c -> c.name().equals(name)).orElse(false)));
    }

    // ---- queries

    String xml(SnapshotRef snapshot, int flags) {
        VirtErrors.checkFlags(from(), flags, SnapshotFlags.XML_SECURE, "qemuDomainSnapshotGetXMLDesc");
        return domains.lockedForSnapshot(snapshot.domain(), (d, hv) -> SnapshotXml.format(find(d, snapshot.name())));
    }

    List<SnapshotRef> listAll(DomainRef domain, int flags) {
        VirtErrors.checkFlags(from(), flags, SnapshotFlags.List.ALL, "qemuDomainListAllSnapshots");
        return domains.lockedForSnapshot(domain, (d, hv) ->
            tree(d).list(flags).stream().map(s -> ref(d, s)).toList());
    }

    List<SnapshotRef> listChildren(SnapshotRef snapshot, int flags) {
        VirtErrors.checkFlags(from(), flags, SnapshotFlags.List.ALL, "qemuDomainSnapshotListAllChildren");
        return domains.lockedForSnapshot(snapshot.domain(), (d, hv) -> {
            find(d, snapshot.name());
            return tree(d).listChildren(snapshot.name(), flags).stream().map(s -> ref(d, s)).toList();
        });
    }

    SnapshotRef lookupByName(DomainRef domain, String name, int flags) {
        VirtErrors.checkFlags(from(), flags, 0, "qemuDomainSnapshotLookupByName");
        return domains.lockedForSnapshot(domain, (d, hv) -> ref(d, find(d, name)));
    }

    boolean hasCurrent(DomainRef domain, int flags) {
        VirtErrors.checkFlags(from(), flags, 0, "qemuDomainHasCurrentSnapshot");
        return domains.lockedForSnapshot(domain, (d, hv) -> tree(d).current().isPresent());
    }

    SnapshotRef current(DomainRef domain, int flags) {
        VirtErrors.checkFlags(from(), flags, 0, "qemuDomainSnapshotCurrent");
        return domains.lockedForSnapshot(domain, (d, hv) -> ref(d, tree(d).current().orElseThrow(() ->
            new VirtException(ErrorCode.NO_DOMAIN_SNAPSHOT, from(), "the domain does not have a current snapshot"))));
    }

    SnapshotRef parent(SnapshotRef snapshot, int flags) {
        VirtErrors.checkFlags(from(), flags, 0, "qemuDomainSnapshotGetParent");
        return domains.lockedForSnapshot(snapshot.domain(), (d, hv) -> {
            SnapshotDef def = find(d, snapshot.name());
            if (def.parent() == null) {
                throw new VirtException(ErrorCode.NO_DOMAIN_SNAPSHOT, from(),
                    "snapshot '" + def.name() + "' does not have a parent");
            }
            return ref(d, find(d, def.parent()));
        });
    }

    boolean isCurrent(SnapshotRef snapshot, int flags) {
        VirtErrors.checkFlags(from(), flags, 0, "qemuDomainSnapshotIsCurrent");
        return domains.lockedForSnapshot(snapshot.domain(), (d, hv) -> {
            find(d, snapshot.name());
            return tree(d).current().map(c -> c.name().equals(snapshot.name())).orElse(false);
        });
    }

    boolean hasMetadata(SnapshotRef snapshot, int flags) {
        VirtErrors.checkFlags(from(), flags, 0, "qemuDomainSnapshotHasMetadata");
        return domains.lockedForSnapshot(snapshot.domain(), (d, hv) -> {
            find(d, snapshot.name());
            return true;
        });
    }

    // ---- revert

    void revert(SnapshotRef snapshot, int flags) {
        VirtErrors.checkFlags(from(), flags, SnapshotFlags.Revert.ALL, "qemuDomainRevertToSnapshot");
        int runPause = SnapshotFlags.Revert.RUNNING | SnapshotFlags.Revert.PAUSED;
        if ((flags & runPause) == runPause) {
            throw VirtErrors.badArgument(from(), "Flags 'VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING' and "
                + "'VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED' are mutually exclusive");
        }
        domains.lockedForSnapshot(snapshot.domain(), (d, hv) -> {
            SnapshotDef def = find(d, snapshot.name());
            checkRevert(d, def, flags);
            if (def.isActiveState()) {
                revertToActive(d, hv, def, flags);
            } else {
                revertToInactive(d, hv, def, flags);
            }
            SnapshotTree tree = tree(d);
            String previous = tree.current().map(SnapshotDef::name).orElse(null);
            tree.setCurrent(def.name());
            rewrite(d, tree, previous);
            rewrite(d, tree, def.name());
            return null;
        });
    }

    private void checkRevert(DomainObject d, SnapshotDef def, int flags) {
        boolean runOrPause = (flags & (SnapshotFlags.Revert.RUNNING | SnapshotFlags.Revert.PAUSED)) != 0;
        if (!d.isPersistent() && !def.isActiveState() && !runOrPause) {
            throw new VirtException(ErrorCode.OPERATION_INVALID, from(),
                "transient domain needs to request run or pause to revert to inactive snapshot");
        }
        if (def.isExternal()) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, from(),
                "revert to external snapshot not supported yet");
        }
        if ((flags & SnapshotFlags.Revert.FORCE) == 0) {
            if (def.domainXml() == null) {
                throw new VirtException(ErrorCode.SNAPSHOT_REVERT_RISKY, from(),
                    "snapshot '" + def.name() + "' lacks domain '" + d.name() + "' rollback info");
            }
            if (d.isActive() && !def.isActiveState() && runOrPause) {
                throw new VirtException(ErrorCode.SNAPSHOT_REVERT_RISKY, from(),
                    "must respawn qemu to start inactive snapshot");
            }
        }
    }

    /** A snapshot with memory: the guest ends up running or paused where the snapshot was taken. */
    private void revertToActive(DomainObject d, HypervisorDriver hv, SnapshotDef def, int flags) {
        boolean wasRunning = d.isActive() && d.state() != DomainState.PAUSED;
        if (!d.isActive()) {
            domains.startForSnapshot(d, hv);
        } else if (wasRunning) {
            hv.suspend(domains.runHandle(d));
            domains.applyState(d, DomainState.PAUSED, StateReason.PAUSED_FROM_SNAPSHOT);
        }
        hv.revertSnapshot(domains.runHandle(d), true, SnapshotXml.format(def));
        boolean paused = (flags & SnapshotFlags.Revert.PAUSED) != 0
            || (flags & SnapshotFlags.Revert.RUNNING) == 0 && "paused".equals(def.state());
        if (!paused) {
            hv.resume(domains.runHandle(d));
            domains.applyState(d, DomainState.RUNNING, StateReason.RUNNING_FROM_SNAPSHOT);
        }
    }

    /** A snapshot without memory: the disks go back with the domain shut off, then it starts when asked. */
    private void revertToInactive(DomainObject d, HypervisorDriver hv, SnapshotDef def, int flags) {
        if (d.isActive()) {
            domains.stopForSnapshot(d, hv);
        }
        hv.revertSnapshot(domains.runHandle(d), false, SnapshotXml.format(def));
        if ((flags & (SnapshotFlags.Revert.RUNNING | SnapshotFlags.Revert.PAUSED)) != 0) {
            domains.startForSnapshot(d, hv);
            if ((flags & SnapshotFlags.Revert.RUNNING) != 0) {
                hv.resume(domains.runHandle(d));
                domains.applyState(d, DomainState.RUNNING, StateReason.RUNNING_FROM_SNAPSHOT);
            } else {
                domains.publish(d.ref(), DomainEventType.SUSPENDED, 5);
            }
        }
    }

    // ---- delete

    /**
     * After the driver merged an external snapshot's overlays into the images below them: the persistent
     * definition and the definitions its children saved name the image below (the disk's source in the
     * snapshot's own saved definition) wherever they named an overlay, as libvirt 9.0 rewrites them.
     */
    private void mergedAway(DomainObject d, SnapshotTree tree, SnapshotDef gone) {
        List<SnapshotOverlays.Merged> below = SnapshotOverlays.merged(gone);
        if (d.isPersistent()) {
            domains.replacePersistentXml(d, SnapshotOverlays.replace(d.persistentXml(), below));
        }
        String current = tree.current().map(SnapshotDef::name).orElse(null);
        for (SnapshotDef child : tree.children(gone.name())) {
            SnapshotDef updated = child.withDomains(
                child.domainXml() == null ? null : SnapshotOverlays.replace(child.domainXml(), below),
                child.inactiveDomainXml() == null ? null : SnapshotOverlays.replace(child.inactiveDomainXml(), below));
            tree.put(updated);
            files.write(d.name(), updated, updated.name().equals(current));
        }
    }

    void delete(SnapshotRef snapshot, int flags) {
        VirtErrors.checkFlags(from(), flags, SnapshotFlags.Delete.ALL, "qemuDomainSnapshotDelete");
        int children = SnapshotFlags.Delete.CHILDREN | SnapshotFlags.Delete.CHILDREN_ONLY;
        if ((flags & children) == children) {
            throw VirtErrors.badArgument(from(), "Flags 'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN' and "
                + "'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY' are mutually exclusive");
        }
        domains.lockedForSnapshot(snapshot.domain(), (d, hv) -> {
            SnapshotTree tree = tree(d);
            SnapshotDef def = find(d, snapshot.name());
            List<SnapshotDef> doomed = new java.util.ArrayList<>();
            if ((flags & children) != 0) {
                doomed.addAll(tree.descendants(def.name()));
                java.util.Collections.reverse(doomed);
            }
            if ((flags & SnapshotFlags.Delete.CHILDREN_ONLY) == 0) {
                doomed.add(def);
            }
            boolean metadataOnly = (flags & SnapshotFlags.Delete.METADATA_ONLY) != 0;
            if (!metadataOnly && (flags & children) != 0 && doomed.stream().anyMatch(SnapshotDef::isExternal)) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, from(),
                    "deletion of external children disk snapshots not supported");
            }
            String current = tree.current().map(SnapshotDef::name).orElse(null);
            boolean currentGone = doomed.stream().anyMatch(s -> s.name().equals(current));
            for (SnapshotDef s : doomed) {
                if (!metadataOnly) {
                    hv.deleteSnapshot(domains.runHandle(d), d.isActive(), SnapshotXml.format(s));
                    if (s.isExternal()) {
                        mergedAway(d, tree, s);
                    }
                }
                SnapshotDef parentNow = tree.get(s.name()).orElse(s);
                for (SnapshotDef moved : tree.remove(s.name())) {
                    files.write(d.name(), moved, moved.name().equals(current));
                }
                files.delete(d.name(), s.name());
                if (currentGone && s == doomed.get(doomed.size() - 1)) {
                    String newCurrent = (flags & SnapshotFlags.Delete.CHILDREN_ONLY) != 0 ? def.name()
                        : parentNow.parent();
                    if (newCurrent != null && tree.get(newCurrent).isPresent()) {
                        tree.setCurrent(newCurrent);
                        rewrite(d, tree, newCurrent);
                    }
                }
            }
            return null;
        });
    }
}
