package org.jvirtd.driver.lxc.internal.controller;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What the driver tells a container's controller, written as a properties file beside the controller's socket
 * (human-readable, like libvirt's status files): the container's name and root, the bind mounts, init with
 * arguments, environment and directory, the cgroup directories to make and the memory limit, the veth pairs
 * to create (host name, bridge, MAC) with the network namespace their host ends live in ("" for the
 * controller's own), and where the controller listens.
 */
public record ControllerConfig(String name, String uuid, String root, List<BindMount> mounts, String init,
                               List<String> initArgs, List<String> initEnv, String initDir, List<String> cgroups,
                               long memoryLimitBytes, List<Veth> veths, String netns, String socket) {

    /**
     * A host directory mounted at {@code target} inside the container, or, with a null source, a tmpfs of
     * {@code ramKiB} there.
     */
    public record BindMount(String source, String target, boolean readOnly, long ramKiB) {
        public BindMount(String source, String target, boolean readOnly) {
            this(source, target, readOnly, 0);
        }
    }

    /**
     * A veth pair: {@code host} stays on the host (joining {@code bridge} when there is one), its peer becomes
     * {@code guest} inside the container, with {@code mac}.
     */
    public record Veth(String host, String bridge, String mac, String guest) {
    }

    public void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("name", name);
        p.setProperty("uuid", uuid);
        p.setProperty("root", root);
        for (int i = 0; i < mounts.size(); i++) {
            BindMount m = mounts.get(i);
            p.setProperty("mount." + i + ".source", m.source() == null ? "" : m.source());
            p.setProperty("mount." + i + ".ram", Long.toString(m.ramKiB()));
            p.setProperty("mount." + i + ".target", m.target());
            p.setProperty("mount." + i + ".readonly", Boolean.toString(m.readOnly()));
        }
        p.setProperty("init", init);
        list(p, "initarg", initArgs);
        list(p, "initenv", initEnv);
        if (initDir != null) {
            p.setProperty("initdir", initDir);
        }
        list(p, "cgroup", cgroups);
        p.setProperty("memory.limit", Long.toString(memoryLimitBytes));
        for (int i = 0; i < veths.size(); i++) {
            Veth v = veths.get(i);
            p.setProperty("veth." + i + ".host", v.host());
            p.setProperty("veth." + i + ".bridge", v.bridge() == null ? "" : v.bridge());
            p.setProperty("veth." + i + ".mac", v.mac() == null ? "" : v.mac());
            p.setProperty("veth." + i + ".guest", v.guest());
        }
        p.setProperty("netns", netns);
        p.setProperty("socket", socket);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "jvirtd LXC controller configuration of " + name);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static ControllerConfig read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        List<BindMount> mounts = new ArrayList<>();
        for (int i = 0; p.containsKey("mount." + i + ".source"); i++) {
            String source = p.getProperty("mount." + i + ".source");
            mounts.add(new BindMount(source.isEmpty() ? null : source, p.getProperty("mount." + i + ".target"),
                Boolean.parseBoolean(p.getProperty("mount." + i + ".readonly")),
                Long.parseLong(p.getProperty("mount." + i + ".ram", "0"))));
        }
        List<Veth> veths = new ArrayList<>();
        for (int i = 0; p.containsKey("veth." + i + ".host"); i++) {
            String bridge = p.getProperty("veth." + i + ".bridge");
            String mac = p.getProperty("veth." + i + ".mac");
            veths.add(new Veth(p.getProperty("veth." + i + ".host"), bridge.isEmpty() ? null : bridge,
                mac.isEmpty() ? null : mac, p.getProperty("veth." + i + ".guest")));
        }
        return new ControllerConfig(p.getProperty("name"), p.getProperty("uuid"), p.getProperty("root"),
            List.copyOf(mounts), p.getProperty("init"), list(p, "initarg"), list(p, "initenv"),
            p.getProperty("initdir"), list(p, "cgroup"), Long.parseLong(p.getProperty("memory.limit", "0")),
            List.copyOf(veths), p.getProperty("netns", ""), p.getProperty("socket"));
    }

    private static void list(Properties p, String key, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            p.setProperty(key + "." + i, values.get(i));
        }
    }

    private static List<String> list(Properties p, String key) {
        List<String> out = new ArrayList<>();
        for (int i = 0; p.containsKey(key + "." + i); i++) {
            out.add(p.getProperty(key + "." + i));
        }
        return List.copyOf(out);
    }
}
