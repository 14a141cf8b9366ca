package org.jvirtd.driver.qemu.internal.run;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.driver.qemu.internal.command.DeviceAliases;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * A running guest's disk throttle: read from query-block's inserted medium and set with block_set_io_throttle
 * on the guest device, libvirt's parameter names mapped to QEMU's (total_bytes_sec is bps, ...). Also the
 * disks' I/O error state (io-status) that domblkerror reports.
 */
public final class BlockThrottle {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** libvirt's names to QEMU's, in libvirt's order. */
    static final Map<String, String> QEMU_NAMES = names();

    private BlockThrottle() {
    }

    private static Map<String, String> names() {
        Map<String, String> names = new LinkedHashMap<>();
        String[] rates = {"total", "", "read", "_rd", "write", "_wr"};
        for (String[] kind : new String[][] {{"bytes_sec", "bps"}, {"iops_sec", "iops"}}) {
            for (int i = 0; i < rates.length; i += 2) {
                names.put(rates[i] + "_" + kind[0], kind[1] + rates[i + 1]);
            }
        }
        for (String[] kind : new String[][] {{"bytes_sec", "bps"}, {"iops_sec", "iops"}}) {
            for (int i = 0; i < rates.length; i += 2) {
                names.put(rates[i] + "_" + kind[0] + "_max", kind[1] + rates[i + 1] + "_max");
            }
        }
        names.put("size_iops_sec", "iops_size");
        names.put("group_name", "group");
        for (String[] kind : new String[][] {{"bytes_sec", "bps"}, {"iops_sec", "iops"}}) {
            for (int i = 0; i < rates.length; i += 2) {
                names.put(rates[i] + "_" + kind[0] + "_max_length", kind[1] + rates[i + 1] + "_max_length");
            }
        }
        return names;
    }

    /** Each disk's {@code <iotune>}, set at start as libvirt 9.0 sets it once the disks are there. */
    static void applyDefined(QemuRun run, GuestDef def, String xml) {
        org.jvirtd.model.domain.DomainEditor editor = org.jvirtd.model.domain.DomainEditor.of(xml);
        for (int i = 0; i < editor.count("disk"); i++) {
            Map<String, String> iotune = editor.deviceChildTexts("disk", i, "iotune");
            if (!iotune.isEmpty()) {
                set(run, def, editor.attr("disk", i, "target", "dev"), new LinkedHashMap<>(iotune));
            }
        }
    }

    /** The throttle QEMU has on disk {@code target}, by libvirt's names (0 where unset, group "" for none). */
    public static Map<String, Object> get(QemuRun run, GuestDef def, String target) {
        Map<String, Object> inserted = inserted(run, disk(def, target));
        Map<String, Object> values = new LinkedHashMap<>();
        QEMU_NAMES.forEach((libvirt, qemu) -> {
            Object value = inserted.get(qemu);
            values.put(libvirt, value == null ? (libvirt.equals("group_name") ? "" : 0L) : value);
        });
        return values;
    }

    /**
     * block_set_io_throttle with every value, as libvirt sends it (a burst length only when set); the group only
     * when one is named (QEMU keeps a device's group, or names one after the device).
     */
    public static void set(QemuRun run, GuestDef def, String target, Map<String, Object> values) {
        GuestDef.Disk disk = disk(def, target);
        // the guest device's QOM path as query-block names it (a virtio disk's backend below its PCI device)
        Map<String, Object> block = block(run.qmp().queryBlock(), disk);
        if (block == null) {
            throw VirtErrors.operationInvalid(ErrorDomain.QEMU, "disk '" + target + "' does not have a source");
        }
        Props args = Props.of("id", String.valueOf(block.get("qdev")));
        QEMU_NAMES.forEach((libvirt, qemu) -> {
            Object value = values.get(libvirt);
            if (libvirt.equals("group_name")) {
                if (value != null && !value.toString().isEmpty()) {
                    args.put(qemu, value.toString());
                }
            } else {
                long number = value == null ? 0L : Long.parseLong(value.toString());
                // a burst length of 0 is QEMU's error: left out, QEMU takes its default (1 s)
                if (number != 0 || !libvirt.endsWith("_max_length")) {
                    args.put(qemu, number);
                }
            }
        });
        run.qmp().execute("block_set_io_throttle", args, TIMEOUT);
    }

    /**
     * The disks whose io-status is not ok, by target: libvirt's virDomainDiskErrorCode 2 for nospace, 1 for
     * failed.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Integer> errors(QemuRun run, GuestDef def) {
        Map<String, Integer> errors = new LinkedHashMap<>();
        List<Map<String, Object>> blocks = run.qmp().queryBlock();
        for (GuestDef.Disk disk : def.devices().disks()) {
            Map<String, Object> block = block(blocks, disk);
            Object status = block == null ? null : block.get("io-status");
            if (status != null && !"ok".equals(status)) {
                errors.put(disk.target(), "nospace".equals(status) ? 2 : 1);
            }
        }
        return errors;
    }

    private static GuestDef.Disk disk(GuestDef def, String target) {
        for (GuestDef.Disk disk : def.devices().disks()) {
            if (target.equals(disk.target())) {
                return disk;
            }
        }
        throw VirtErrors.invalidArg(ErrorDomain.QEMU, "disk '" + target + "' not found in domain");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> inserted(QemuRun run, GuestDef.Disk disk) {
        Map<String, Object> block = block(run.qmp().queryBlock(), disk);
        Object inserted = block == null ? null : block.get("inserted");
        if (!(inserted instanceof Map)) {
            throw VirtErrors.operationInvalid(ErrorDomain.QEMU, "disk '" + disk.target()
                + "' does not have a source");
        }
        return (Map<String, Object>) inserted;
    }

    /** The query-block entry of the guest device of {@code disk}. */
    private static Map<String, Object> block(List<Map<String, Object>> blocks, GuestDef.Disk disk) {
        String alias = DeviceAliases.disk(disk);
        for (Map<String, Object> block : blocks) {
            String qdev = String.valueOf(block.get("qdev"));
            if (alias != null && (qdev.equals("/machine/peripheral/" + alias + "/virtio-backend")
                || qdev.equals("/machine/peripheral/" + alias) || qdev.equals(alias))) {
                return block;
            }
        }
        return null;
    }
}
