package org.jvirtd.model.domain;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.ScaledInteger;
import org.jvirtd.model.internal.XmlNode;

/**
 * The memory a definition's guest NUMA cells and memory devices add up to, from which libvirt derives
 * {@code <memory>} when it is missing (and, for a new domain, always when there are cells).
 */
public final class MemorySizes {
    private MemorySizes() {
    }

    /** The total of the {@code <cpu><numa>} cells in KiB; 0 without cells. */
    public static long numaKiB(XmlNode root) {
        XmlNode cpu = root.child("cpu");
        XmlNode numa = cpu == null ? null : cpu.child("numa");
        long total = 0;
        if (numa != null) {
            for (XmlNode cell : numa.children("cell")) {
                total += kib(cell.attr("memory"), cell.attr("unit"), "./cpu/numa/cell/@memory");
            }
        }
        return total;
    }

    /** The total of the memory devices' target sizes in KiB. */
    public static long hotplugKiB(XmlNode root) {
        XmlNode devices = root.child("devices");
        long total = 0;
        if (devices != null) {
            for (XmlNode memory : devices.children("memory")) {
                XmlNode target = memory.child("target");
                XmlNode size = target == null ? null : target.child("size");
                if (size != null) {
                    total += kib(size.text(), size.attr("unit"), "./devices/memory/target/size");
                }
            }
        }
        return total;
    }

    /** The memory the cells and devices give when there are cells, else 0. */
    public static long derivedKiB(XmlNode root) {
        long numa = numaKiB(root);
        return numa == 0 ? 0 : numa + hotplugKiB(root);
    }

    private static long kib(String text, String unit, String where) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        return (ScaledInteger.toBytes(ErrorDomain.DOMAIN, where, text.strip(), unit, 1024, Long.MAX_VALUE) + 1023)
            / 1024;
    }
}
