package org.jvirtd.storage.core.internal;

import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.StoragePools;
import org.jvirtd.api.domain.DiskUsage;
import org.jvirtd.api.secret.SecretValues;
import org.jvirtd.api.storage.PoolBackend;
import org.jvirtd.api.storage.PoolContents;
import org.jvirtd.api.storage.PoolEvent;
import org.jvirtd.api.storage.PoolEventListener;
import org.jvirtd.api.storage.PoolInfo;
import org.jvirtd.api.storage.PoolRef;
import org.jvirtd.api.storage.ProgressListener;
import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.api.storage.VolumeInfo;
import org.jvirtd.api.storage.VolumeRef;
import org.jvirtd.core.config.DaemonConfig;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.model.storage.PoolCapabilitiesXml;
import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.PoolType;
import org.jvirtd.model.storage.PoolXml;
import org.jvirtd.storage.util.StorageErrors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * libvirt's storage driver: pool lifecycle, persistence and autostart done once for every pool type, with
 * the type's work handed to its PoolBackend. Pools found active on disk are reattached when their backend
 * arrives; autostarted ones are started then.
 */
@Component(service = StoragePools.class, immediate = true)
public final class CoreStoragePools implements StoragePools {
    private final BackendRegistry backends;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DiskUsage diskUsage;
    private volatile SecretValues secretDriver;
    private final PoolStore store;
    private final PoolTable table = new PoolTable();
    private final PoolEvents events = new PoolEvents();
    private final PoolVolumes volumes;
    private final Map<String, PoolStore.Status> unclaimedStatus = new HashMap<>();
    private final Set<String> typesArrived = new HashSet<>();

    @Activate
    public CoreStoragePools(@Reference DaemonConfig config, @Reference BackendRegistry backends) {
        this.backends = backends;
        this.store = new PoolStore(config.paths().configDir(), config.paths().runDir());
        this.volumes = new PoolVolumes(table, backends, this::refreshAfterJob);
        load();
        backends.onArrival(this::backendArrived);
    }

    /** The secret driver, whose values are the passphrases of LUKS volumes; optional and replaceable. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public void bindSecrets(SecretValues secrets) {
        this.secretDriver = secrets;
    }

    public void unbindSecrets(SecretValues secrets) {
        if (this.secretDriver == secrets) {
            this.secretDriver = null;
        }
    }

    /** The secret driver as backends see it: one that is gone answers libvirt's "driver not available". */
    private SecretValues secretValues() {
        SecretValues secrets = secretDriver;
        if (secrets == null) {
            throw VirtErrors.driverUnavailable("secret");
        }
        return secrets;
    }

    private void load() {
        List<String> problems = new ArrayList<>();
        for (PoolStore.Definition d : store.loadDefinitions(problems)) {
            PoolObject pool = new PoolObject(d.def(), true, store::saveStatus, this::secretValues);
            pool.setAutostart(d.autostart());
            table.add(pool);
        }
        Map<String, PoolStore.Status> statuses = store.loadStatuses(problems);
        for (PoolStore.Status status : statuses.values()) {
            try {
                table.byName(status.def().name());
            } catch (VirtException transientPool) {
                table.add(new PoolObject(status.def(), false, store::saveStatus, this::secretValues));
            }
        }
        synchronized (unclaimedStatus) {
            unclaimedStatus.putAll(statuses);
        }
        problems.forEach(p -> System.err.println("jvirtd storage: ignoring " + p));
    }

    /** Reattaches the pools of a backend's type that were active, then starts autostarted ones (first arrival). */
    private void backendArrived(PoolBackend backend) {
        boolean first;
        synchronized (typesArrived) {
            first = typesArrived.add(backend.type());
        }
        for (PoolObject pool : table.all()) {
            if (!pool.def().type().xmlName().equals(backend.type())) {
                continue;
            }
            PoolStore.Status status;
            synchronized (unclaimedStatus) {
                status = unclaimedStatus.remove(pool.name());
            }
            try {
                if (status != null) {
                    reattach(pool, backend, status);
                }
                if (first && pool.isAutostart() && !pool.isActive()) {
                    startPool(pool.ref(), 0);
                }
            } catch (VirtException e) {
                System.err.println("jvirtd storage: pool '" + pool.name() + "': " + e.getMessage());
            }
        }
    }

    private void reattach(PoolObject pool, PoolBackend backend, PoolStore.Status status) {
        synchronized (pool) {
            pool.replaceRuntime(status.runtime());
            if (backend.isActive(pool)) {
                pool.activate(backend.refresh(pool));
                store.saveStatus(pool);
                return;
            }
            store.deleteStatus(pool.name());
            pool.deactivate();
            if (!pool.isPersistent()) {
                table.remove(pool);
            }
        }
    }

    @Override
    public List<PoolRef> listAllPools(int flags) {
        return table.all().stream().filter(p -> matches(p, flags)).map(PoolObject::ref).toList();
    }

    private static boolean matches(PoolObject pool, int flags) {
        boolean active = pool.isActive();
        boolean persistent = pool.isPersistent();
        boolean autostart = pool.isAutostart();
        int typeFilter = flags & ~0x3f;
        return either(flags, StorageFlags.LIST_POOLS_ACTIVE, StorageFlags.LIST_POOLS_INACTIVE, active)
            && either(flags, StorageFlags.LIST_POOLS_PERSISTENT, StorageFlags.LIST_POOLS_TRANSIENT, persistent)
            && either(flags, StorageFlags.LIST_POOLS_AUTOSTART, StorageFlags.LIST_POOLS_NO_AUTOSTART, autostart)
            && (typeFilter == 0 || (typeFilter & StorageFlags.listTypeBit(pool.def().type().xmlName())) != 0);
    }

    /** A pair of filter bits: neither or both set lets everything through. */
    private static boolean either(int flags, int yesBit, int noBit, boolean value) {
        boolean yes = (flags & yesBit) != 0;
        boolean no = (flags & noBit) != 0;
        return yes == no || (value ? yes : no);
    }

    @Override
    public PoolRef lookupPoolByName(String name) {
        return table.byName(name).ref();
    }

    @Override
    public PoolRef lookupPoolByUuid(UUID uuid) {
        return table.byUuid(uuid).ref();
    }

    @Override
    public PoolRef lookupPoolByVolume(VolumeRef volume) {
        return table.byName(volume.pool()).ref();
    }

    @Override
    public PoolRef lookupPoolByTargetPath(String path) {
        String cleaned = PoolXml.cleanPath(path);
        for (PoolObject pool : table.all()) {
            if (pool.isActive() && cleaned.equals(pool.def().targetPath())) {
                return pool.ref();
            }
        }
        throw new VirtException(ErrorCode.NO_STORAGE_POOL, ErrorDomain.STORAGE,
            "no storage pool with matching target path '" + path + "'"
                + (cleaned.equals(path) ? "" : " (" + cleaned + ")"));
    }

    @Override
    public String poolCapabilities(int flags) {
        VirtErrors.checkFlags(ErrorDomain.STORAGE, flags, 0, "storageConnectGetStoragePoolCapabilities");
        return PoolCapabilitiesXml.format(backends.types());
    }

    @Override
    public String findPoolSources(String type, String sourceSpec, int flags) {
        if (PoolType.fromXml(type) == null) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.STORAGE, "unknown storage pool type " + type);
        }
        return backends.require(type).findPoolSources(sourceSpec, flags);
    }

    @Override
    public PoolRef definePool(String xml, int flags) {
        PoolDef def = PoolXml.parse(xml);
        backends.require(def.type().xmlName());
        PoolObject pool = table.findOrAdd(def, () -> new PoolObject(def, true, store::saveStatus, this::secretValues));
        synchronized (pool) {
            store.saveDefinition(def);
            pool.redefine(def);
        }
        events.fire(pool.ref(), PoolEvent.Type.DEFINED);
        return pool.ref();
    }

    @Override
    public void undefinePool(PoolRef ref) {
        PoolObject pool = table.get(ref);
        synchronized (pool) {
            if (pool.isActive()) {
                throw StorageErrors.poolStillActive(pool.name());
            }
            if (!pool.isPersistent()) {
                throw StorageErrors.invalid("cannot undefine transient storage pool");
            }
            store.deleteDefinition(pool.name());
            table.remove(pool);
        }
        events.fire(ref, PoolEvent.Type.UNDEFINED);
    }

    @Override
    public PoolRef createPool(String xml, int flags) {
        PoolDef def = PoolXml.parse(xml);
        backends.require(def.type().xmlName());
        boolean[] added = {false};
        PoolObject pool = table.findOrAdd(def, () -> {
            added[0] = true;
            return new PoolObject(def, false, store::saveStatus, this::secretValues);
        });
        if (!added[0]) {
            throw pool.isActive() ? StorageErrors.poolAlreadyActive(def.name())
                : StorageErrors.failed("pool '" + def.name() + "' already exists with uuid " + pool.uuid());
        }
        try {
            start(pool, flags);
        } catch (RuntimeException e) {
            table.remove(pool);
            throw e;
        }
        return pool.ref();
    }

    @Override
    public void buildPool(PoolRef ref, int flags) {
        PoolObject pool = table.get(ref);
        synchronized (pool) {
            if (pool.isActive()) {
                throw StorageErrors.poolAlreadyActive(pool.name());
            }
            backend(pool).build(pool, flags);
        }
        events.fire(ref, PoolEvent.Type.CREATED);
    }

    @Override
    public void startPool(PoolRef ref, int flags) {
        start(table.get(ref), flags);
    }

    private void start(PoolObject pool, int flags) {
        synchronized (pool) {
            if (pool.isActive()) {
                throw StorageErrors.poolAlreadyActive(pool.name());
            }
            PoolBackend backend = backend(pool);
            int buildFlags = (flags & StorageFlags.CREATE_WITH_BUILD_OVERWRITE) != 0 ? StorageFlags.BUILD_OVERWRITE
                : (flags & StorageFlags.CREATE_WITH_BUILD_NO_OVERWRITE) != 0 ? StorageFlags.BUILD_NO_OVERWRITE : 0;
            if ((flags & (StorageFlags.CREATE_WITH_BUILD | StorageFlags.CREATE_WITH_BUILD_OVERWRITE
                | StorageFlags.CREATE_WITH_BUILD_NO_OVERWRITE)) != 0) {
                backend.build(pool, buildFlags);
            }
            backend.start(pool);
            PoolContents found;
            try {
                found = backend.refresh(pool);
            } catch (RuntimeException e) {
                stopQuietly(backend, pool);
                throw e;
            }
            pool.activate(found);
            store.saveStatus(pool);
        }
        events.fire(pool.ref(), PoolEvent.Type.STARTED);
    }

    @Override
    public void destroyPool(PoolRef ref) {
        PoolObject pool = table.get(ref);
        synchronized (pool) {
            requireActive(pool);
            if (pool.jobs() > 0) {
                throw StorageErrors.poolHasJobs(pool.name());
            }
            backend(pool).stop(pool);
            stopped(pool);
        }
        events.fire(ref, PoolEvent.Type.STOPPED);
    }

    private void stopped(PoolObject pool) {
        store.deleteStatus(pool.name());
        pool.deactivate();
        if (!pool.isPersistent()) {
            table.remove(pool);
        }
    }

    @Override
    public void deletePool(PoolRef ref, int flags) {
        PoolObject pool = table.get(ref);
        synchronized (pool) {
            if (pool.isActive()) {
                throw StorageErrors.poolStillActive(pool.name());
            }
            backend(pool).delete(pool, flags);
        }
        events.fire(ref, PoolEvent.Type.DELETED);
    }

    @Override
    public void refreshPool(PoolRef ref, int flags) {
        PoolObject pool = table.get(ref);
        synchronized (pool) {
            requireActive(pool);
            if (pool.jobs() > 0) {
                throw StorageErrors.poolHasJobs(pool.name());
            }
            PoolBackend backend = backend(pool);
            try {
                pool.setContents(backend.refresh(pool));
                store.saveStatus(pool);
            } catch (RuntimeException e) {
                stopQuietly(backend, pool);
                stopped(pool);
                events.fire(ref, PoolEvent.Type.STOPPED);
                throw e;
            }
        }
        events.fire(ref, PoolEvent.Type.REFRESHED);
    }

    /** Re-reads a pool's contents after a volume job changed them; a failure leaves the old list. */
    private void refreshAfterJob(PoolObject pool) {
        synchronized (pool) {
            if (pool.isActive()) {
                pool.setContents(backend(pool).refreshAfterJob(pool, pool.contents().volumes()));
                store.saveStatus(pool);
            }
        }
    }

    @Override
    public boolean poolAutostart(PoolRef ref) {
        return table.get(ref).isAutostart();
    }

    @Override
    public void setPoolAutostart(PoolRef ref, boolean autostart) {
        PoolObject pool = table.get(ref);
        synchronized (pool) {
            if (!pool.isPersistent()) {
                throw StorageErrors.invalid("cannot set autostart for transient pool");
            }
            store.setAutostart(pool.name(), autostart);
            pool.setAutostart(autostart);
        }
    }

    @Override
    public PoolInfo poolInfo(PoolRef ref) {
        PoolObject pool = table.get(ref);
        synchronized (pool) {
            PoolContents c = pool.contents();
            return new PoolInfo(pool.isActive() ? StorageFlags.POOL_RUNNING : StorageFlags.POOL_INACTIVE,
                c.capacity(), c.allocation(), c.available());
        }
    }

    @Override
    public String poolXml(PoolRef ref, int flags) {
        PoolObject pool = table.get(ref);
        synchronized (pool) {
            if ((flags & StorageFlags.XML_INACTIVE) != 0) {
                return PoolXml.format(pool.persistentDef(), 0);
            }
            PoolContents c = pool.contents();
            return PoolXml.format(pool.def(), c.capacity(), c.allocation(), c.available());
        }
    }

    @Override
    public boolean isPoolActive(PoolRef ref) {
        return table.get(ref).isActive();
    }

    @Override
    public boolean isPoolPersistent(PoolRef ref) {
        return table.get(ref).isPersistent();
    }

    @Override
    public List<VolumeRef> listAllVolumes(PoolRef pool, int flags) {
        return volumes.list(table.get(pool));
    }

    @Override
    public VolumeRef lookupVolumeByName(PoolRef pool, String name) {
        return volumes.byName(table.get(pool), name);
    }

    @Override
    public VolumeRef lookupVolumeByKey(String key) {
        return volumes.byKey(key);
    }

    @Override
    public VolumeRef lookupVolumeByPath(String path) {
        return volumes.byPath(path);
    }

    @Override
    public VolumeRef createVolume(PoolRef pool, String xml, int flags) {
        return volumes.create(table.get(pool), xml, flags);
    }

    @Override
    public VolumeRef createVolumeFrom(PoolRef pool, String xml, VolumeRef source, int flags,
                                      ProgressListener progress) {
        return volumes.createFrom(table.get(pool), xml, source, flags, progress);
    }

    @Override
    public void deleteVolume(VolumeRef volume, int flags) {
        refuseIfARunningGuestUses(volume, "delete");
        volumes.delete(volume, flags);
    }

    @Override
    public void resizeVolume(VolumeRef volume, long capacity, int flags) {
        volumes.resize(volume, capacity, flags);
    }

    @Override
    public void wipeVolume(VolumeRef volume, int algorithm, int flags, ProgressListener progress) {
        refuseIfARunningGuestUses(volume, "wipe");
        volumes.wipe(volume, algorithm, progress);
    }

    /** A volume that is the disk of a running guest is not deleted or wiped from under it. */
    private void refuseIfARunningGuestUses(VolumeRef volume, String what) {
        DiskUsage usage = diskUsage;
        if (usage == null) {
            return;
        }
        String path = volumes.info(volume).path();
        usage.activeDomainUsing(path).ifPresent(domain -> {
            throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.STORAGE,
                "cannot " + what + " storage volume '" + volume.name() + "': it is in use by running domain '"
                    + domain + "'");
        });
    }

    @Override
    public VolumeInfo volumeInfo(VolumeRef volume) {
        return volumes.current(volume);
    }

    @Override
    public String volumeXml(VolumeRef volume, int flags) {
        return volumes.current(volume).xml();
    }

    @Override
    public String volumePath(VolumeRef volume) {
        return volumes.info(volume).path();
    }

    @Override
    public WritableByteChannel upload(VolumeRef volume, long offset, long length, int flags) {
        return volumes.upload(volume, offset, length);
    }

    @Override
    public ReadableByteChannel download(VolumeRef volume, long offset, long length, int flags) {
        return volumes.download(volume, offset, length);
    }

    @Override
    public AutoCloseable subscribe(PoolEventListener listener) {
        return events.subscribe(listener);
    }

    private PoolBackend backend(PoolObject pool) {
        return backends.require(pool.def().type().xmlName());
    }

    private static void requireActive(PoolObject pool) {
        if (!pool.isActive()) {
            throw StorageErrors.poolNotActive(pool.name());
        }
    }

    private static void stopQuietly(PoolBackend backend, PoolObject pool) {
        try {
            backend.stop(pool);
        } catch (RuntimeException ignored) {
            // the failure that made us stop is the one to report
        }
    }
}
