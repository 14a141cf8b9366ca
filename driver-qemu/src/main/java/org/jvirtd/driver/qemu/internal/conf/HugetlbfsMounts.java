package org.jvirtd.driver.qemu.internal.conf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's hugetlbfs mounts from /proc/mounts with their page sizes; the first one is the default.
 */
public final class HugetlbfsMounts {
    private HugetlbfsMounts() {
    }

    public static List<QemuConf.HugetlbfsMount> detect() {
        List<QemuConf.HugetlbfsMount> mounts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 3 && "hugetlbfs".equals(f[2])) {
                    mounts.add(new QemuConf.HugetlbfsMount(f[1], pageSizeKiB(f[3]), mounts.isEmpty()));
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return mounts;
    }

    private static long pageSizeKiB(String options) {
        for (String option : options.split(",")) {
            if (option.startsWith("pagesize=")) {
                String v = option.substring("pagesize=".length());
                long n = Long.parseLong(v.replaceAll("[^0-9]", ""));
                return v.endsWith("G") ? n * 1024 * 1024 : v.endsWith("M") ? n * 1024 : n;
            }
        }
        return 2048;
    }
}
