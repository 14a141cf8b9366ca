package org.jvirtd.storage.core.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.jvirtd.api.VirtException;
import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.PoolXml;
import org.jvirtd.platform.files.AtomicFiles;
import org.jvirtd.storage.util.StorageErrors;

/**
 * Pools on disk: persistent definitions in {@code <config>/storage/NAME.xml}, autostart links in
 * {@code <config>/storage/autostart/NAME.xml}, and for each active pool its live XML
 * ({@code <run>/storage/NAME.xml}) and backend facts ({@code NAME.runtime}, key=value lines). Every write is atomic.
 */
final class PoolStore {
    private final Path configDir;
    private final Path autostartDir;
    private final Path statusDir;

    PoolStore(Path configDir, Path runDir) {
        this.configDir = configDir.resolve("storage");
        this.autostartDir = this.configDir.resolve("autostart");
        this.statusDir = runDir.resolve("storage");
    }

    /** A persistent definition found on disk and whether it is autostarted. */
    record Definition(PoolDef def, boolean autostart) {
    }

    /** A status file found on disk: the pool that was active and its backend facts. */
    record Status(PoolDef def, Map<String, String> runtime) {
    }

    List<Definition> loadDefinitions(List<String> problems) {
        List<Definition> found = new ArrayList<>();
        for (Path file : xmlFiles(configDir)) {
            try {
                PoolDef def = PoolXml.parse(Files.readString(file, StandardCharsets.UTF_8));
                if (!file.getFileName().toString().equals(def.name() + ".xml")) {
                    problems.add(file + ": pool name '" + def.name() + "' does not match the file name");
                    continue;
                }
                found.add(new Definition(def, Files.exists(autostartLink(def.name()))));
            } catch (IOException | VirtException e) {
                problems.add(file + ": " + e.getMessage());
            }
        }
        return found;
    }

    Map<String, Status> loadStatuses(List<String> problems) {
        Map<String, Status> found = new TreeMap<>();
        for (Path file : xmlFiles(statusDir)) {
            try {
                PoolDef def = PoolXml.parse(Files.readString(file, StandardCharsets.UTF_8));
                Properties facts = new Properties();
                Path runtime = statusDir.resolve(def.name() + ".runtime");
                if (Files.exists(runtime)) {
                    facts.load(new StringReader(Files.readString(runtime, StandardCharsets.UTF_8)));
                }
                Map<String, String> map = new LinkedHashMap<>();
                facts.stringPropertyNames().stream().sorted().forEach(k -> map.put(k, facts.getProperty(k)));
                found.put(def.name(), new Status(def, map));
            } catch (IOException | VirtException e) {
                problems.add(file + ": " + e.getMessage());
            }
        }
        return found;
    }

    void saveDefinition(PoolDef def) {
        write(configDir.resolve(def.name() + ".xml"), PoolXml.format(def, 0));
    }

    void deleteDefinition(String name) {
        setAutostart(name, false);
        delete(configDir.resolve(name + ".xml"));
    }

    void setAutostart(String name, boolean autostart) {
        Path link = autostartLink(name);
        try {
            if (autostart) {
                AtomicFiles.symlink(link, Path.of("..", name + ".xml"));
            } else {
                AtomicFiles.delete(link);
            }
        } catch (IOException e) {
            throw StorageErrors.system(autostart ? "Failed to create symlink" : "Failed to delete symlink",
                link.toString(), e);
        }
    }

    void saveStatus(PoolObject pool) {
        PoolDef def = pool.def();
        var c = pool.contents();
        write(statusDir.resolve(def.name() + ".xml"), PoolXml.format(def, c.capacity(), c.allocation(), c.available()));
        Properties facts = new Properties();
        facts.putAll(pool.runtime());
        StringWriter text = new StringWriter();
        try {
            facts.store(text, "backend facts of the active pool " + def.name());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        write(statusDir.resolve(def.name() + ".runtime"), text.toString());
    }

    void deleteStatus(String name) {
        delete(statusDir.resolve(name + ".xml"));
        delete(statusDir.resolve(name + ".runtime"));
    }

    private Path autostartLink(String name) {
        return autostartDir.resolve(name + ".xml");
    }

    private static List<Path> xmlFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".xml") && Files.isRegularFile(f))
                .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void write(Path file, String content) {
        try {
            AtomicFiles.write(file, content);
        } catch (IOException e) {
            throw StorageErrors.system("cannot write file", file.toString(), e);
        }
    }

    private static void delete(Path file) {
        try {
            AtomicFiles.delete(file);
        } catch (IOException e) {
            throw StorageErrors.system("cannot remove file", file.toString(), e);
        }
    }
}
