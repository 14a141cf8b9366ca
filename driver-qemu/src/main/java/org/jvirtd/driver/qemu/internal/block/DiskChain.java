package org.jvirtd.driver.qemu.internal.block;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.command.DeviceAliases;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.driver.qemu.internal.qmp.QmpClient;

/**
 * A running disk's image chain as QEMU has it open: the guest device, then each layer from the active one
 * down to the last backing image, with the node name jobs address it by.
 */
public record DiskChain(GuestDef.Disk disk, int diskIndex, List<Layer> layers) {
    /** QEMU's image format drivers; any other driver over an image is a filter. */
    private static final java.util.Set<String> FORMATS = java.util.Set.of("qcow2", "raw", "qed", "qcow", "vmdk",
        "vdi", "vhdx", "vpc", "luks", "parallels", "bochs", "cloop", "dmg");

    /** One image of the chain: its format node, file, format and the size the guest sees. */
    public record Layer(String node, String file, String format, long virtualSize) {
    }

    public Layer top() {
        return layers.get(0);
    }

    /**
     * The layer a caller names: its file path, or libvirt's {@code vda[N]} (N counts from 1 at the active
     * layer, as this driver numbers the live XML's {@code index}); null when no layer matches.
     */
    Integer find(String name) {
        String target = disk.target();
        if (name.startsWith(target + "[") && name.endsWith("]")) {
            try {
                int n = Integer.parseInt(name.substring(target.length() + 1, name.length() - 1));
                return n >= 1 && n <= layers.size() ? n - 1 : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        for (int i = 0; i < layers.size(); i++) {
            if (name.equals(layers.get(i).file())) {
                return i;
            }
        }
        return null;
    }

    /** The disk a caller names by target or source path, as libvirt's virDomainDiskByName finds it. */
    public static int diskIndex(GuestDef def, String name) {
        List<GuestDef.Disk> disks = def.devices().disks();
        for (int i = 0; i < disks.size(); i++) {
            if (name.equals(disks.get(i).target())) {
                return i;
            }
        }
        for (int i = 0; i < disks.size(); i++) {
            if (name.equals(disks.get(i).source())) {
                return i;
            }
        }
        return -1;
    }

    /** The number for the next nodes this driver adds ({@code libvirt-N-storage}, {@code libvirt-N-format}). */
    static int nextNodeNumber(QmpClient qmp) {
        int max = 0;
        for (Map<String, Object> node : qmp.queryNamedBlockNodes()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("libvirt-(\\d+)-.*")
                .matcher(String.valueOf(node.get("node-name")));
            if (m.matches()) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        return max + 1;
    }

    /** Reads the chain of disk {@code index} from QEMU. */
    public static DiskChain read(QmpClient qmp, GuestDef def, int index) {
        GuestDef.Disk disk = def.devices().disks().get(index);
        Map<String, Object> inserted = inserted(qmp.queryBlock(), disk);
        if (inserted == null) {
            throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
                "disk '" + disk.target() + "' does not have a source");
        }
        List<Map<String, Object>> nodes = qmp.queryNamedBlockNodes();
        List<Layer> layers = new ArrayList<>();
        String node = String.valueOf(inserted.get("node-name"));
        Map<String, Object> image = map(inserted.get("image"));
        boolean filtered = false;
        while (image != null) {
            String file = String.valueOf(image.get("filename"));
            String format = String.valueOf(image.get("format"));
            if (!FORMATS.contains(format)) {
                // a job's filter over the image (a backup's copy-before-write, a mirror's): not a layer
                filtered = true;
                image = map(image.get("backing-image"));
                continue;
            }
            if (!layers.isEmpty() || filtered) {
                node = formatNode(nodes, file);
            }
            layers.add(new Layer(node, file, format, ((Number) image.get("virtual-size")).longValue()));
            image = map(image.get("backing-image"));
        }
        return new DiskChain(disk, index, List.copyOf(layers));
    }

    /** The query-block entry of the guest device that shows this disk. */
    private static Map<String, Object> inserted(List<Map<String, Object>> blocks, GuestDef.Disk disk) {
        String alias = DeviceAliases.disk(disk);
        for (Map<String, Object> block : blocks) {
            String qdev = String.valueOf(block.get("qdev"));
            Map<String, Object> inserted = map(block.get("inserted"));
            boolean byAlias = alias != null && (qdev.equals("/machine/peripheral/" + alias + "/virtio-backend")
                || qdev.equals("/machine/peripheral/" + alias) || qdev.equals(alias));
            if (inserted != null && (byAlias || disk.source() != null && disk.source().equals(inserted.get("file")))) {
                return inserted;
            }
        }
        return null;
    }

    /** The format node that opened {@code file} (a backing image's node is named by QEMU when it opened it). */
    private static String formatNode(List<Map<String, Object>> nodes, String file) {
        String fallback = null;
        for (Map<String, Object> n : nodes) {
            if (file.equals(n.get("file")) && FORMATS.contains(String.valueOf(n.get("drv")))) {
                return String.valueOf(n.get("node-name"));
            }
            if (file.equals(n.get("file")) && fallback == null) {
                fallback = String.valueOf(n.get("node-name"));
            }
        }
        return fallback;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }
}
