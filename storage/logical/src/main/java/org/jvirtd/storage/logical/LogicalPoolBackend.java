package org.jvirtd.storage.logical;


import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.storage.PoolBackend;
import org.jvirtd.api.storage.PoolContents;
import org.jvirtd.api.storage.PoolHandle;
import org.jvirtd.api.storage.ProgressListener;
import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.api.storage.VolumeInfo;
import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.PoolSourceListXml;
import org.jvirtd.model.storage.PoolType;
import org.jvirtd.model.storage.PoolXml;
import org.jvirtd.model.storage.VolumeDef;
import org.jvirtd.model.storage.VolumeXml;
import org.jvirtd.storage.util.HostCommand;
import org.jvirtd.storage.util.PoolDirectory;
import org.jvirtd.storage.util.StorageErrors;
import org.jvirtd.storage.util.VgChangeArgv;
import org.jvirtd.storage.util.VolumeWipe;
import org.osgi.service.component.annotations.Component;

/**
 * Pools of type logical: an LVM volume group whose logical volumes are the pool's volumes.
 */
@Component(service = PoolBackend.class, property = PoolBackend.PROPERTY + "=logical")
public final class LogicalPoolBackend implements PoolBackend {
    @Override
    public String type() {
        return "logical";
    }

    /** The host's volume groups; a failing vgscan is ignored (only a rescan), a failing pvs is the error. */
    @Override
    public String findPoolSources(String sourceSpec, int flags) {
        VirtErrors.checkFlags(ErrorDomain.STORAGE, flags, 0, "virStorageBackendLogicalFindPoolSources");
        try {
            HostCommand.run(LvmArgv.scan());
        } catch (VirtException e) {
            // libvirt goes on without the rescan too
        }
        return PoolSourceListXml.format(PoolType.LOGICAL, LvmSources.parse(HostCommand.run(LvmArgv.physicalVolumes())));
    }

    @Override
    public void build(PoolHandle pool, int flags) {
        PoolDirectory.checkBuildFlags(flags);
        PoolDef def = def(pool);
        if (def.source().devices().isEmpty()) {
            throw StorageErrors.unsupported("cannot build a logical pool without source devices");
        }
        LvmArgv.build(def).forEach(HostCommand::run);
    }

    @Override
    public boolean isActive(PoolHandle pool) {
        return LvmReport.hasGroup(HostCommand.run(LvmArgv.groups()), def(pool).source().name());
    }

    @Override
    public void start(PoolHandle pool) {
        HostCommand.run(VgChangeArgv.change(def(pool), true));
    }

    @Override
    public void stop(PoolHandle pool) {
        HostCommand.run(VgChangeArgv.change(def(pool), false));
    }

    @Override
    public PoolContents refresh(PoolHandle pool) {
        PoolDef def = def(pool);
        return LvmReport.contents(def, HostCommand.run(LvmArgv.groupSizes(def)), HostCommand.run(LvmArgv.volumes(def)));
    }

    @Override
    public void delete(PoolHandle pool, int flags) {
        LvmArgv.delete(def(pool)).forEach(HostCommand::run);
    }

    /** Runs lvcreate; when it fails, removes whatever it left so the group is as it was, and reports why. */
    @Override
    public VolumeInfo createVolume(PoolHandle pool, String volumeXml, int flags) {
        PoolDef def = def(pool);
        VolumeDef vol = VolumeXml.parse(def, volumeXml);
        if (vol.target().encryption() != null) {
            throw StorageErrors.unsupported("storage pool does not support encrypted volumes");
        }
        try {
            HostCommand.run(LvmArgv.createVolume(def, vol));
        } catch (VirtException e) {
            removeLeftover(def, vol.name());
            throw e;
        }
        return refresh(pool).volumes().stream().filter(v -> v.name().equals(vol.name())).findFirst()
            .orElseThrow(() -> StorageErrors.internal("lvcreate made no volume '" + vol.name() + "'"));
    }

    private void removeLeftover(PoolDef def, String name) {
        boolean exists = HostCommand.run(LvmArgv.volumes(def)).lines()
            .anyMatch(l -> l.strip().startsWith(name + LvmArgv.SEPARATOR));
        if (exists) {
            HostCommand.run(LvmArgv.deleteVolume(def, name));
        }
    }

    @Override
    public void deleteVolume(PoolHandle pool, VolumeInfo volume, int flags) {
        if ((flags & StorageFlags.DELETE_ZEROED) != 0) {
            VolumeWipe.wipe(volume, StorageFlags.WIPE_ZERO, null);
        }
        HostCommand.run(LvmArgv.deleteVolume(def(pool), volume.name()));
    }

    @Override
    public void wipeVolume(PoolHandle pool, VolumeInfo volume, int algorithm, ProgressListener progress) {
        VolumeWipe.wipe(volume, algorithm, progress);
    }

    private static PoolDef def(PoolHandle pool) {
        return PoolXml.parse(pool.xml());
    }

}
