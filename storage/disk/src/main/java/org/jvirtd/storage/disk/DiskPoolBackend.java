package org.jvirtd.storage.disk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.storage.PoolBackend;
import org.jvirtd.api.storage.PoolContents;
import org.jvirtd.api.storage.PoolHandle;
import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.api.storage.VolumeInfo;
import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.PoolXml;
import org.jvirtd.model.storage.VolumeXml;
import org.jvirtd.storage.util.HostCommand;
import org.jvirtd.storage.util.PoolDirectory;
import org.jvirtd.storage.util.StorageErrors;
import org.osgi.service.component.annotations.Component;

/**
 * Pools of type disk: a whole disk whose partitions (made and removed with parted) are the volumes.
 */
@Component(service = PoolBackend.class, property = PoolBackend.PROPERTY + "=disk")
public final class DiskPoolBackend implements PoolBackend {
    @Override
    public String type() {
        return "disk";
    }

    @Override
    public void build(PoolHandle pool, int flags) {
        PoolDirectory.checkBuildFlags(flags);
        PoolDef def = def(pool);
        requireDevice(def);
        if ((flags & StorageFlags.BUILD_NO_OVERWRITE) != 0) {
            String label = existingLabel(def);
            if (!label.isEmpty()) {
                throw new VirtException(ErrorCode.STORAGE_POOL_BUILT, ErrorDomain.STORAGE,
                    "Device '" + PartedArgv.device(def) + "' already has a '" + label + "' partition table");
            }
        }
        HostCommand.run(PartedArgv.mklabel(def));
    }

    private static String existingLabel(PoolDef def) {
        try {
            return HostCommand.run(List.of("blkid", "-p", "-o", "value", "-s", "PTTYPE", PartedArgv.device(def)))
                .strip();
        } catch (VirtException none) {
            return "";
        }
    }

    @Override
    public boolean isActive(PoolHandle pool) {
        return Files.exists(Path.of(PartedArgv.device(def(pool))));
    }

    @Override
    public void start(PoolHandle pool) {
        requireDevice(def(pool));
    }

    @Override
    public PoolContents refresh(PoolHandle pool) {
        PoolDef def = def(pool);
        return PartedReport.contents(def, HostCommand.run(PartedArgv.print(def)));
    }

    @Override
    public void delete(PoolHandle pool, int flags) {
        PoolDef def = def(pool);
        for (PartedReport.Partition p : PartedReport.partitions(HostCommand.run(PartedArgv.print(def)))) {
            HostCommand.run(PartedArgv.rm(def, p.number()));
        }
    }

    /** Adds a partition of the volume's capacity after the last one; it takes the next partition's name. */
    @Override
    public VolumeInfo createVolume(PoolHandle pool, String volumeXml, int flags) {
        PoolDef def = def(pool);
        long capacity = VolumeXml.parse(def, volumeXml).capacity();
        List<PartedReport.Partition> before = PartedReport.partitions(HostCommand.run(PartedArgv.print(def)));
        long start = PartedReport.nextStart(before);
        long size = (capacity + PartedReport.ALIGN - 1) / PartedReport.ALIGN * PartedReport.ALIGN;
        HostCommand.run(PartedArgv.mkpart(def, start, size));
        List<PartedReport.Partition> after = PartedReport.partitions(HostCommand.run(PartedArgv.print(def)));
        PartedReport.Partition made = after.stream().filter(p -> p.start() == start).findFirst()
            .orElseThrow(() -> StorageErrors.internal("parted made no partition at " + start));
        String name = PartedReport.partitionName(def, made.number());
        return refresh(pool).volumes().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    @Override
    public void deleteVolume(PoolHandle pool, VolumeInfo volume, int flags) {
        PoolDef def = def(pool);
        String number = volume.name().replaceAll(".*?(\\d+)$", "$1");
        HostCommand.run(PartedArgv.rm(def, Integer.parseInt(number)));
    }

    private static void requireDevice(PoolDef def) {
        if (def.source().devices().isEmpty()) {
            throw StorageErrors.unsupported("missing source device");
        }
        if (!Files.exists(Path.of(PartedArgv.device(def)))) {
            throw StorageErrors.system("cannot open device", PartedArgv.device(def),
                new java.nio.file.NoSuchFileException(PartedArgv.device(def)));
        }
    }

    private static PoolDef def(PoolHandle pool) {
        return PoolXml.parse(pool.xml());
    }
}
