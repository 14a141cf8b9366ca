package org.jvirtd.storage.util;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jvirtd.api.storage.PoolBackend;
import org.jvirtd.api.storage.PoolContents;
import org.jvirtd.api.storage.PoolHandle;
import org.jvirtd.api.storage.ProgressListener;
import org.jvirtd.api.storage.VolumeInfo;
import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.PoolXml;
import org.jvirtd.model.storage.VolumeXml;

/**
 * What dir, fs and netfs pools have in common (libvirt's storage_backend_fs): a target directory whose
 * files are the volumes. Subclasses add how the directory's file system is brought up and down.
 */
public abstract class DirectoryPoolBackend implements PoolBackend {
    @Override
    public void build(PoolHandle pool, int flags) {
        PoolDirectory.build(definition(pool), flags);
    }

    @Override
    public boolean isActive(PoolHandle pool) {
        return Files.isDirectory(Path.of(definition(pool).targetPath()));
    }

    @Override
    public PoolContents refresh(PoolHandle pool) {
        return FileVolumes.refresh(definition(pool), List.of(), pool::secrets);
    }

    @Override
    public PoolContents refreshAfterJob(PoolHandle pool, List<VolumeInfo> known) {
        return FileVolumes.refresh(definition(pool), known, pool::secrets);
    }

    @Override
    public VolumeInfo refreshVolume(PoolHandle pool, VolumeInfo volume) {
        return FileVolumes.reread(volume);
    }

    @Override
    public void delete(PoolHandle pool, int flags) {
        PoolDirectory.delete(definition(pool));
    }

    @Override
    public VolumeInfo createVolume(PoolHandle pool, String volumeXml, int flags) {
        PoolDef def = definition(pool);
        return FileVolumes.create(def, VolumeXml.parse(def, volumeXml, VolumeXml.OPT_CAPACITY), flags,
            pool::secrets);
    }

    @Override
    public VolumeInfo cloneVolume(PoolHandle pool, String volumeXml, VolumeInfo source, int flags,
                                  ProgressListener progress) {
        PoolDef def = definition(pool);
        return FileVolumes.copy(def, VolumeXml.parse(def, volumeXml, VolumeXml.NO_CAPACITY), source, flags, progress,
            pool::secrets);
    }

    @Override
    public void deleteVolume(PoolHandle pool, VolumeInfo volume, int flags) {
        FileVolumes.delete(volume, flags);
    }

    @Override
    public void resizeVolume(PoolHandle pool, VolumeInfo volume, long capacity, int flags) {
        FileVolumes.resize(volume, capacity, flags);
    }

    @Override
    public void wipeVolume(PoolHandle pool, VolumeInfo volume, int algorithm, ProgressListener progress) {
        VolumeWipe.wipe(volume, algorithm, progress);
    }

    protected static PoolDef definition(PoolHandle pool) {
        return PoolXml.parse(pool.xml());
    }
}
