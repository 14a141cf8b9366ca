package org.jvirtd.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jvirtd.api.connect.Connection.NodeInfo;

/**
 * The host's CPU and memory as virNodeGetInfo reports them, read from /proc.
 */
final class HostInfo {
    private HostInfo() {
    }

    static NodeInfo read() {
        return parse(lines("/proc/cpuinfo"), lines("/proc/meminfo"), System.getProperty("os.arch"));
    }

    static NodeInfo parse(List<String> cpuinfo, List<String> meminfo, String arch) {
        int cpus = 0;
        int mhz = 0;
        int coresPerSocket = 0;
        int siblings = 0;
        Set<String> sockets = new HashSet<>();
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "processor" -> cpus++;
                case "cpu MHz" -> mhz = (int) Double.parseDouble(value);
                case "physical id" -> sockets.add(value);
                case "cpu cores" -> coresPerSocket = Integer.parseInt(value);
                case "siblings" -> siblings = Integer.parseInt(value);
                default -> {
                }
            }
        }
        long memoryKiB = 0;
        for (String line : meminfo) {
            if (line.startsWith("MemTotal:")) {
                memoryKiB = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        int socketCount = Math.max(1, sockets.size());
        int cores = coresPerSocket > 0 ? coresPerSocket : Math.max(1, cpus / socketCount);
        int threads = coresPerSocket > 0 && siblings >= coresPerSocket ? siblings / coresPerSocket : 1;
        String model = "amd64".equals(arch) ? "x86_64" : arch;
        return new NodeInfo(model, memoryKiB, Math.max(cpus, 1), mhz, 1, socketCount, cores, threads);
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            return List.of();
        }
    }
}
