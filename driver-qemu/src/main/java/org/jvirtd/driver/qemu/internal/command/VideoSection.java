package org.jvirtd.driver.qemu.internal.command;

import java.util.List;

import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Video devices; the first is the primary (VGA-compatible) one.
 */
final class VideoSection {
    private VideoSection() {
    }

    static void videos(BuildContext c, List<String> argv) {
        List<GuestDef.Video> videos = c.def.devices().videos();
        for (int i = 0; i < videos.size(); i++) {
            GuestDef.Video v = videos.get(i);
            String model = v.model() == null ? "vga" : v.model();
            if ("none".equals(model)) {
                continue;
            }
            boolean primary = i == 0;
            Props p = Props.of("driver", driver(model, primary, "yes".equals(v.accel3d()))).put("id", "video" + i);
            if ("qxl".equals(model)) {
                p.put("max_outputs", v.heads() == null ? 1 : v.heads())
                    .put("ram_size", orDefault(v.ram(), 65536) * 1024)
                    .put("vram_size", orDefault(v.vram(), 65536) * 1024);
                if (c.caps.has("qxl.vram64_size_mb")) {
                    p.put("vram64_size_mb", orDefault(v.vram64(), 0) / 1024);
                }
                if (c.caps.has("qxl.vgamem_mb")) {
                    p.put("vgamem_mb", orDefault(v.vgamem(), 16384) / 1024);
                }
            } else if ("vga".equals(model) && c.caps.has("VGA.vgamem_mb") && v.vram() != null) {
                p.put("vgamem_mb", v.vram() / 1024);
            } else if ("vmvga".equals(model) && c.caps.has("vmware-svga.vgamem_mb") && v.vram() != null) {
                p.put("vgamem_mb", v.vram() / 1024);
            } else if ("bochs".equals(model) && c.caps.has("bochs-display.vgamem") && v.vram() != null) {
                p.put("vgamem", v.vram() * 1024);
            } else if ("virtio".equals(model) && v.heads() != null && v.heads() > 0) {
                p.put("max_outputs", v.heads());
            }
            c.device(argv, p.putAll(c.pciProps(v)));
        }
    }

    private static long orDefault(Long value, long fallback) {
        return value == null ? fallback : value;
    }

    /** The QEMU device of a video model; a virtio one with 3D acceleration is its OpenGL variant. */
    private static String driver(String model, boolean primary, boolean accel3d) {
        return switch (model) {
            case "cirrus" -> "cirrus-vga";
            case "qxl" -> primary ? "qxl-vga" : "qxl";
            case "virtio" -> (primary ? "virtio-vga" : "virtio-gpu") + (accel3d ? "-gl" : "") + (primary ? "" : "-pci");
            case "vmvga" -> "vmware-svga";
            case "bochs" -> "bochs-display";
            case "ramfb" -> "ramfb";
            default -> "VGA";
        };
    }
}
