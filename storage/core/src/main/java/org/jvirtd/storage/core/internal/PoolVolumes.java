package org.jvirtd.storage.core.internal;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.storage.PoolBackend;
import org.jvirtd.api.storage.ProgressListener;
import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.api.storage.VolumeInfo;
import org.jvirtd.api.storage.VolumeRef;
import org.jvirtd.model.storage.VolumeDef;
import org.jvirtd.model.storage.VolumeXml;
import org.jvirtd.storage.util.StorageErrors;

/**
 * The volume half of the storage driver: lookups across pools, and create, clone, delete, resize, wipe,
 * upload and download run as jobs that keep the pool from stopping and the volume from going away meanwhile.
 */
final class PoolVolumes {
    private final PoolTable table;
    private final BackendRegistry backends;
    private final Consumer<PoolObject> refresh;

    PoolVolumes(PoolTable table, BackendRegistry backends, Consumer<PoolObject> refresh) {
        this.table = table;
        this.backends = backends;
        this.refresh = refresh;
    }

    List<VolumeRef> list(PoolObject pool) {
        synchronized (pool) {
            requireActive(pool);
            return pool.contents().volumes().stream().sorted(Comparator.comparing(VolumeInfo::name))
                .map(pool::refOf).toList();
        }
    }

    VolumeRef byName(PoolObject pool, String name) {
        synchronized (pool) {
            requireActive(pool);
            return pool.refOf(pool.volume(name).orElseThrow(() -> StorageErrors.noVolumeName(name)));
        }
    }

    VolumeRef byKey(String key) {
        return find(v -> v.key().equals(key)).orElseThrow(() -> StorageErrors.noVolumeKey(key));
    }

    VolumeRef byPath(String path) {
        String clean = Path.of(path).normalize().toString();
        return find(v -> v.path().equals(clean)).orElseThrow(() -> StorageErrors.noVolumePath(path));
    }

    private java.util.Optional<VolumeRef> find(java.util.function.Predicate<VolumeInfo> test) {
        for (PoolObject pool : table.all()) {
            synchronized (pool) {
                if (pool.isActive()) {
                    var hit = pool.contents().volumes().stream().filter(test).findFirst();
                    if (hit.isPresent()) {
                        return java.util.Optional.of(pool.refOf(hit.get()));
                    }
                }
            }
        }
        return java.util.Optional.empty();
    }

    VolumeInfo info(VolumeRef ref) {
        PoolObject pool = table.byName(ref.pool());
        synchronized (pool) {
            requireActive(pool);
            return pool.volume(ref.name()).orElseThrow(() -> StorageErrors.noVolumeName(ref.name()));
        }
    }

    /** A volume re-read by its backend, as libvirt re-reads one for vol-info and vol-dumpxml; the pool keeps it. */
    VolumeInfo current(VolumeRef ref) {
        PoolObject pool = table.byName(ref.pool());
        synchronized (pool) {
            requireActive(pool);
            VolumeInfo known = pool.volume(ref.name()).orElseThrow(() -> StorageErrors.noVolumeName(ref.name()));
            VolumeInfo now = backends.require(pool.def().type().xmlName()).refreshVolume(pool, known);
            pool.putVolume(now);
            return now;
        }
    }

    VolumeRef create(PoolObject pool, String xml, int flags) {
        VolumeDef def = newVolume(pool, xml, VolumeXml.OPT_CAPACITY);
        return building(pool, def.name(), backend -> backend.createVolume(pool, xml, flags));
    }

    VolumeRef createFrom(PoolObject pool, String xml, VolumeRef sourceRef, int flags, ProgressListener progress) {
        VolumeDef def = newVolume(pool, xml, VolumeXml.NO_CAPACITY);
        PoolObject sourcePool = table.byName(sourceRef.pool());
        VolumeInfo source = using(sourcePool, sourceRef.name());
        try {
            return building(pool, def.name(), backend -> backend.cloneVolume(pool, xml, source, flags, progress));
        } finally {
            release(sourcePool, source.name());
        }
    }

    /** Parses a new volume's XML in its pool and checks the name is free; libvirt refuses '/' in names. */
    private static VolumeDef newVolume(PoolObject pool, String xml, int parseFlags) {
        synchronized (pool) {
            requireActive(pool);
            VolumeDef def = VolumeXml.parse(pool.def(), xml, parseFlags);
            if (pool.volume(def.name()).isPresent() || pool.volumeBuilding(def.name())) {
                throw StorageErrors.volumeExists(def.name());
            }
            // a volume's name becomes a file or device name (libvirt's backends check this once the name is free)
            if (def.name().contains("/")) {
                throw StorageErrors.invalid("volume name '" + def.name() + "' cannot contain '/'");
            }
            return def;
        }
    }

    private VolumeRef building(PoolObject pool, String name, Function<PoolBackend, VolumeInfo> work) {
        PoolBackend backend = backends.require(pool.def().type().xmlName());
        synchronized (pool) {
            pool.markBuilding(name, true);
            pool.beginJob();
        }
        try {
            VolumeInfo made = work.apply(backend);
            pool.putVolume(made);
            refresh.accept(pool);
            return pool.refOf(made);
        } finally {
            synchronized (pool) {
                pool.markBuilding(name, false);
                pool.endJob();
            }
        }
    }

    void delete(VolumeRef ref, int flags) {
        PoolObject pool = table.byName(ref.pool());
        synchronized (pool) {
            VolumeInfo volume = existing(pool, ref.name());
            if (pool.volumeInUse(volume.name())) {
                throw StorageErrors.volumeInUse(volume.name());
            }
            backend(pool).deleteVolume(pool, volume, flags);
            refresh.accept(pool);
        }
    }

    void resize(VolumeRef ref, long requested, int flags) {
        PoolObject pool = table.byName(ref.pool());
        synchronized (pool) {
            VolumeInfo volume = existing(pool, ref.name());
            boolean shrink = (flags & StorageFlags.RESIZE_SHRINK) != 0;
            long capacity = requested;
            if ((flags & StorageFlags.RESIZE_DELTA) != 0) {
                capacity = shrink ? volume.capacity() - Math.min(requested, volume.capacity())
                    : addChecked(volume.capacity(), requested);
            }
            if (capacity < volume.capacity() && !shrink) {
                throw StorageErrors.invalidArg(
                    "Can't shrink capacity below current capacity unless shrink flag explicitly specified");
            }
            if ((flags & StorageFlags.RESIZE_ALLOCATE) != 0 && capacity - volume.allocation()
                > pool.contents().available()) {
                throw StorageErrors.failed("Not enough space left in storage pool");
            }
            if (pool.volumeInUse(volume.name())) {
                throw StorageErrors.volumeInUse(volume.name());
            }
            backend(pool).resizeVolume(pool, volume, capacity, flags & ~StorageFlags.RESIZE_DELTA);
            refresh.accept(pool);
        }
    }

    private static long addChecked(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new VirtException(ErrorCode.OVERFLOW, ErrorDomain.STORAGE, "capacity overflow");
        }
    }

    void wipe(VolumeRef ref, int algorithm, ProgressListener progress) {
        PoolObject pool = table.byName(ref.pool());
        VolumeInfo volume = using(pool, ref.name());
        try {
            backend(pool).wipeVolume(pool, volume, algorithm, progress);
        } finally {
            release(pool, volume.name());
        }
        refresh.accept(pool);
    }

    WritableByteChannel upload(VolumeRef ref, long offset, long length) {
        return (WritableByteChannel) open(ref, offset, length, true);
    }

    ReadableByteChannel download(VolumeRef ref, long offset, long length) {
        return (ReadableByteChannel) open(ref, offset, length, false);
    }

    private SeekableByteChannel open(VolumeRef ref, long offset, long length, boolean write) {
        PoolObject pool = table.byName(ref.pool());
        VolumeInfo volume = using(pool, ref.name());
        try {
            SeekableByteChannel channel = backend(pool).openVolume(pool, volume, write);
            channel.position(offset);
            long limit = length > 0 ? length : write ? Long.MAX_VALUE : Math.max(0, channel.size() - offset);
            return new VolumeStream(channel, limit, write, () -> {
                release(pool, volume.name());
                if (write) {
                    refresh.accept(pool);
                }
            });
        } catch (IOException | RuntimeException e) {
            release(pool, volume.name());
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw StorageErrors.system("cannot open volume", volume.path(), (IOException) e);
        }
    }

    /** Marks a volume in use (and its pool busy) for a job; it must exist and not be being built. */
    private static VolumeInfo using(PoolObject pool, String name) {
        synchronized (pool) {
            VolumeInfo volume = existing(pool, name);
            pool.markInUse(name, true);
            pool.beginJob();
            return volume;
        }
    }

    private static void release(PoolObject pool, String name) {
        synchronized (pool) {
            pool.markInUse(name, false);
            pool.endJob();
        }
    }

    private static VolumeInfo existing(PoolObject pool, String name) {
        requireActive(pool);
        if (pool.volumeBuilding(name)) {
            throw StorageErrors.volumeBuilding(name);
        }
        return pool.volume(name).orElseThrow(() -> StorageErrors.noVolumeName(name));
    }

    private PoolBackend backend(PoolObject pool) {
        return backends.require(pool.def().type().xmlName());
    }

    private static void requireActive(PoolObject pool) {
        if (!pool.isActive()) {
            throw StorageErrors.poolNotActive(pool.name());
        }
    }
}
