package org.jvirtd.storage.logical;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.VolumeDef;
import org.jvirtd.storage.util.QemuImgArgv;

/**
 * The LVM command lines of a logical pool, pure functions of the pool and volume definitions: pvcreate and
 * vgcreate to build, vgs and lvs to refresh, lvcreate and lvremove for volumes, vgremove and pvremove to delete.
 * (Activation, vgchange, is the shared {@link org.jvirtd.storage.util.VgChangeArgv}.)
 */
final class LvmArgv {
    static final String SEPARATOR = "#";

    private LvmArgv() {
    }

    static List<List<String>> build(PoolDef pool) {
        List<List<String>> commands = new ArrayList<>();
        List<String> vgcreate = new ArrayList<>(List.of("vgcreate", pool.source().name()));
        for (var device : pool.source().devices()) {
            commands.add(List.of("pvcreate", device.path()));
            vgcreate.add(device.path());
        }
        commands.add(vgcreate);
        return commands;
    }

    static List<List<String>> delete(PoolDef pool) {
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("vgremove", "-f", pool.source().name()));
        pool.source().devices().forEach(d -> commands.add(List.of("pvremove", d.path())));
        return commands;
    }

    /** {@code vgs} listing every volume group's name, so a pool's group can be looked for. */
    static List<String> groups() {
        return List.of("vgs", "--noheadings", "-o", "vg_name");
    }

    /** {@code vgscan}: brings groups on newly seen devices into LVM's view before {@link #physicalVolumes}. */
    static List<String> scan() {
        return List.of("vgscan");
    }

    /** {@code pvs} printing each physical volume's path and its group's name (none when it is in no group). */
    static List<String> physicalVolumes() {
        return List.of("pvs", "--noheadings", "-o", "pv_name,vg_name");
    }

    /** {@code vgs} printing the group's size and free bytes as {@code size#free}. */
    static List<String> groupSizes(PoolDef pool) {
        return List.of("vgs", "--separator", SEPARATOR, "--noheadings", "--units", "b", "--unbuffered", "--nosuffix",
            "--options", "vg_size,vg_free", pool.source().name());
    }

    /** {@code lvs} printing each logical volume as {@code name#uuid#size}. */
    static List<String> volumes(PoolDef pool) {
        return List.of("lvs", "--separator", SEPARATOR, "--noheadings", "--units", "b", "--unbuffered", "--nosuffix",
            "--options", "lv_name,uuid,lv_size", pool.source().name());
    }

    /**
     * {@code lvcreate --name NAME -L ALLOCK [--virtualsize CAPK] VG}: a thin (sparse) volume when the allocation
     * is below the capacity; a snapshot of the backing volume ({@code -s PATH}) when it has one.
     */
    static List<String> createVolume(PoolDef pool, VolumeDef vol) {
        List<String> argv = new ArrayList<>(List.of("lvcreate", "--name", vol.name(), "-L"));
        if (vol.allocation() != vol.capacity()) {
            argv.add(QemuImgArgv.sizeKiB(vol.allocation()) + "K");
            argv.add("--virtualsize");
        }
        argv.add(QemuImgArgv.sizeKiB(vol.capacity()) + "K");
        if (vol.backingStore() != null) {
            argv.addAll(List.of("-s", vol.backingStore().path()));
        } else {
            argv.add(pool.source().name());
        }
        return argv;
    }

    static List<String> deleteVolume(PoolDef pool, String name) {
        return List.of("lvremove", "-f", pool.source().name() + "/" + name);
    }
}
