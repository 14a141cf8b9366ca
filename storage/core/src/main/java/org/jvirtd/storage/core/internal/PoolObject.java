package org.jvirtd.storage.core.internal;

import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jvirtd.api.secret.SecretValues;
import org.jvirtd.api.storage.PoolContents;
import org.jvirtd.api.storage.PoolHandle;
import org.jvirtd.api.storage.PoolRef;
import org.jvirtd.api.storage.VolumeInfo;
import org.jvirtd.api.storage.VolumeRef;
import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.PoolXml;

/**
 * One storage pool's state: its definition (and the one waiting for its next start), whether it is
 * persistent, autostarted and active, what its last refresh found, and which volumes have jobs running.
 * Guarded by its own monitor.
 */
final class PoolObject implements PoolHandle {
    static final PoolContents EMPTY = new PoolContents(0, 0, 0, List.of());

    private PoolDef def;
    private PoolDef pendingDef;
    private boolean persistent;
    private boolean autostart;
    private boolean active;
    private PoolContents contents = EMPTY;
    private final Map<String, String> runtime = new LinkedHashMap<>();
    private final Map<String, Integer> volumesInUse = new HashMap<>();
    private final Set<String> volumesBuilding = new HashSet<>();
    private int jobs;
    private final Consumer<PoolObject> statusWriter;
    private final Supplier<SecretValues> secrets;

    PoolObject(PoolDef def, boolean persistent, Consumer<PoolObject> statusWriter, Supplier<SecretValues> secrets) {
        this.def = def;
        this.persistent = persistent;
        this.statusWriter = statusWriter;
        this.secrets = secrets;
    }

    @Override
    public SecretValues secrets() {
        return secrets.get();
    }

    @Override
    public synchronized String name() {
        return def.name();
    }

    @Override
    public synchronized UUID uuid() {
        return def.uuid();
    }

    @Override
    public synchronized String xml() {
        return PoolXml.format(def, 0);
    }

    @Override
    public synchronized Map<String, String> runtime() {
        return Map.copyOf(runtime);
    }

    @Override
    public void putRuntime(Map<String, String> facts) {
        synchronized (this) {
            runtime.putAll(facts);
        }
        if (isActive()) {
            statusWriter.accept(this);
        }
    }

    synchronized void replaceRuntime(Map<String, String> facts) {
        runtime.clear();
        runtime.putAll(facts);
    }

    synchronized PoolRef ref() {
        return new PoolRef(def.name(), def.uuid());
    }

    synchronized PoolDef def() {
        return def;
    }

    /** The definition a stopped pool will start with: the pending one if it was redefined while active. */
    synchronized PoolDef persistentDef() {
        return pendingDef != null ? pendingDef : def;
    }

    /** Takes a new definition now if the pool is inactive, else at its next stop. */
    synchronized void redefine(PoolDef newDef) {
        if (active) {
            pendingDef = newDef;
        } else {
            def = newDef;
        }
        persistent = true;
    }

    synchronized boolean isPersistent() {
        return persistent;
    }

    synchronized void setPersistent(boolean persistent) {
        this.persistent = persistent;
    }

    synchronized boolean isAutostart() {
        return autostart;
    }

    synchronized void setAutostart(boolean autostart) {
        this.autostart = autostart;
    }

    synchronized boolean isActive() {
        return active;
    }

    synchronized void activate(PoolContents found) {
        active = true;
        contents = found;
    }

    synchronized void deactivate() {
        active = false;
        contents = EMPTY;
        runtime.clear();
        if (pendingDef != null) {
            def = pendingDef;
            pendingDef = null;
        }
    }

    synchronized void setContents(PoolContents found) {
        contents = found;
    }

    /** Adds or replaces a volume: one a job just made (before the refresh after the job), or one re-read. */
    synchronized void putVolume(VolumeInfo volume) {
        List<VolumeInfo> volumes = new ArrayList<>(contents.volumes());
        int at = 0;
        while (at < volumes.size() && !volumes.get(at).name().equals(volume.name())) {
            at++;
        }
        if (at < volumes.size()) {
            volumes.set(at, volume);
        } else {
            volumes.add(volume);
        }
        contents = new PoolContents(contents.capacity(), contents.allocation(), contents.available(), volumes);
    }

    synchronized PoolContents contents() {
        return contents;
    }

    synchronized Optional<VolumeInfo> volume(String name) {
        return contents.volumes().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    VolumeRef refOf(VolumeInfo volume) {
        return new VolumeRef(name(), volume.name(), volume.key());
    }

    synchronized int jobs() {
        return jobs;
    }

    synchronized void beginJob() {
        jobs++;
    }

    synchronized void endJob() {
        jobs--;
    }

    synchronized boolean volumeBuilding(String name) {
        return volumesBuilding.contains(name);
    }

    synchronized boolean volumeInUse(String name) {
        return volumesInUse.getOrDefault(name, 0) > 0;
    }

    synchronized void markBuilding(String name, boolean building) {
        if (building) {
            volumesBuilding.add(name);
        } else {
            volumesBuilding.remove(name);
        }
    }

    synchronized void markInUse(String name, boolean inUse) {
        volumesInUse.merge(name, inUse ? 1 : -1, Integer::sum);
        volumesInUse.remove(name, 0);
    }
}
