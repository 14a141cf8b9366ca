package org.jvirtd.net.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.model.network.NetworkXml;
import org.jvirtd.platform.files.AtomicFiles;

/**
 * Networks on disk. Persistent definitions: {@code <config>/networks/NAME.xml}, autostart links
 * {@code <config>/networks/autostart/NAME.xml -> ../NAME.xml}. Live status of active networks:
 * {@code <run>/network/NAME.xml} (the live definition) and {@code NAME.runtime} (key=value facts such as
 * dnsmasq.pid), with per-network directories {@code <run>/network/NAME/} (pid files) and
 * {@code <state>/network/NAME/} (dnsmasq config, hosts and lease files). Every write is atomic.
 */
final class NetworkStore {
    private final Path configDir;
    private final Path autostartDir;
    private final Path statusDir;
    private final Path stateRoot;

    NetworkStore(DaemonPaths paths) {
        this.configDir = paths.configDir().resolve("networks");
        this.autostartDir = configDir.resolve("autostart");
        this.statusDir = paths.runDir().resolve("network");
        this.stateRoot = paths.stateDir().resolve("network");
    }

    /** A live network and its runtime facts, as read back from its status files. */
    record Status(NetworkDef live, Map<String, String> runtime) {
    }

    Path runDir(String name) {
        return statusDir.resolve(name);
    }

    Path stateDir(String name) {
        return stateRoot.resolve(name);
    }

    void savePersistent(NetworkDef def) {
        io("save network '" + def.name() + "'", () -> AtomicFiles.write(configDir.resolve(def.name() + ".xml"),
            NetworkXml.format(def, NetworkXml.INACTIVE)));
    }

    void deletePersistent(String name) {
        io("delete network '" + name + "'", () -> {
            AtomicFiles.delete(autostartDir.resolve(name + ".xml"));
            AtomicFiles.delete(configDir.resolve(name + ".xml"));
        });
    }

    boolean autostart(String name) {
        return Files.isSymbolicLink(autostartDir.resolve(name + ".xml"));
    }

    void setAutostart(String name, boolean on) {
        Path link = autostartDir.resolve(name + ".xml");
        io((on ? "create " : "delete ") + "autostart link for network '" + name + "'", () -> {
            if (on) {
                AtomicFiles.symlink(link, Path.of("..", name + ".xml"));
            } else {
                AtomicFiles.delete(link);
            }
        });
    }

    /** Every persistent definition that parses; a broken file is skipped, as libvirt skips it. */
    List<NetworkDef> loadPersistent() {
        return load(configDir);
    }

    void saveStatus(NetworkDef live, Map<String, String> runtime) {
        StringBuilder facts = new StringBuilder();
        runtime.forEach((k, v) -> facts.append(k).append('=').append(v).append('\n'));
        io("save status of network '" + live.name() + "'", () -> {
            AtomicFiles.write(statusDir.resolve(live.name() + ".runtime"), facts.toString());
            AtomicFiles.write(statusDir.resolve(live.name() + ".xml"), NetworkXml.format(live, 0));
        });
    }

    void deleteStatus(String name) {
        io("delete status of network '" + name + "'", () -> {
            AtomicFiles.delete(statusDir.resolve(name + ".xml"));
            AtomicFiles.delete(statusDir.resolve(name + ".runtime"));
        });
    }

    List<Status> loadStatus() {
        List<Status> out = new ArrayList<>();
        for (NetworkDef live : load(statusDir)) {
            Map<String, String> runtime = new LinkedHashMap<>();
            Path facts = statusDir.resolve(live.name() + ".runtime");
            try {
                if (Files.exists(facts)) {
                    for (String line : Files.readAllLines(facts, StandardCharsets.UTF_8)) {
                        int eq = line.indexOf('=');
                        if (eq > 0) {
                            runtime.put(line.substring(0, eq), line.substring(eq + 1));
                        }
                    }
                }
            } catch (IOException e) {
                throw VirtErrors.system(ErrorDomain.NETWORK, "cannot read " + facts + ": " + e.getMessage(), e);
            }
            out.add(new Status(live, runtime));
        }
        return out;
    }

    /** A port of a live network, kept as libvirt does under the network's run dir, in {@code ports/<uuid>.xml}. */
    void savePort(String network, NetworkPort port) {
        io("save network port " + port.uuid(), () -> AtomicFiles.write(portsDir(network).resolve(port.uuid() + ".xml"),
            NetworkPortXml.format(port)));
    }

    void deletePort(String network, java.util.UUID uuid) {
        io("delete network port " + uuid, () -> AtomicFiles.delete(portsDir(network).resolve(uuid + ".xml")));
    }

    /** Removes all port files of a network that stopped. */
    void deletePorts(String network) {
        for (NetworkPort port : loadPorts(network)) {
            deletePort(network, port.uuid());
        }
    }

    List<NetworkPort> loadPorts(String network) {
        Path dir = portsDir(network);
        List<NetworkPort> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.xml")) {
            for (Path file : files) {
                try {
                    out.add(NetworkPortXml.parse(Files.readString(file, StandardCharsets.UTF_8)));
                } catch (IOException | VirtException e) {
                    System.err.println("jvirtd: ignoring network port file " + file + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            System.err.println("jvirtd: cannot read network ports in " + dir + ": " + e.getMessage());
        }
        return out;
    }

    private Path portsDir(String network) {
        return statusDir.resolve(network).resolve("ports");
    }

    private static List<NetworkDef> load(Path dir) {
        List<NetworkDef> defs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return defs;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.xml")) {
            for (Path file : files) {
                try {
                    NetworkDef def = NetworkXml.parse(Files.readString(file, StandardCharsets.UTF_8));
                    if ((def.name() + ".xml").equals(file.getFileName().toString())) {
                        defs.add(def);
                    }
                } catch (VirtException | IOException broken) {
                    System.err.println("jvirtd: skipping network file " + file + ": " + broken.getMessage());
                }
            }
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.NETWORK, "cannot read " + dir + ": " + e.getMessage(), e);
        }
        return defs;
    }

    private static void io(String what, IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.NETWORK, "cannot " + what + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }
}
