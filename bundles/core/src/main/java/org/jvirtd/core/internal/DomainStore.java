package org.jvirtd.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.model.domain.DomainXml;
import org.jvirtd.platform.files.AtomicFiles;
import org.jvirtd.platform.files.JournaledDirectory;

/**
 * One driver's domains on disk: persistent definitions ({@code config/DRIVER/NAME.xml}), autostart
 * links ({@code config/DRIVER/autostart/NAME.xml}), live status files ({@code run/DRIVER/NAME.xml})
 * and managed save images ({@code state/DRIVER/save/NAME.save}). Every write is atomic and durable;
 * definitions and links go through the config directory's journal ({@link JournaledDirectory}), which
 * makes a define cost one data sync.
 */
final class DomainStore implements AutoCloseable {
    /** How definitions are kept: the inactive form with secrets (graphics passwords), as libvirt keeps them. */
    static final int STORED_FORM = DomainXml.INACTIVE | DomainXml.SECURE;
    private static final System.Logger LOG = System.getLogger(DomainStore.class.getName());

    private final Path configDir;
    private final Path autostartDir;
    private final Path statusDir;
    private final Path saveDir;
    private final Path runDir;
    private final Path stateDir;
    private final Path logDir;
    private JournaledDirectory configFiles;
    private boolean closed;

    DomainStore(String driver, DaemonPaths paths) {
        this.configDir = paths.configDir().resolve(driver);
        this.autostartDir = configDir.resolve("autostart");
        this.runDir = paths.runDir().resolve(driver);
        this.statusDir = runDir;
        this.stateDir = paths.stateDir().resolve(driver);
        this.saveDir = stateDir.resolve("save");
        this.logDir = paths.logDir().resolve(driver);
    }

    Path runDir() {
        return runDir;
    }

    Path stateDir() {
        return stateDir;
    }

    Path logDir() {
        return logDir;
    }

    /** Reads every persistent definition and status file; a damaged file is logged and skipped. */
    List<DomainObject> load() {
        try {
            configFiles();
        } catch (VirtException e) {
            LOG.log(System.Logger.Level.ERROR, e.getMessage());
        }
        List<DomainObject> result = new ArrayList<>();
        for (Path file : xmlFiles(configDir)) {
            try {
                DomainDef def = DomainXml.parse(Files.readString(file, StandardCharsets.UTF_8));
                DomainObject domain = new DomainObject(def.name(), def.uuid());
                domain.setPersistentXml(DomainXml.format(def, -1, STORED_FORM));
                domain.setAutostart(Files.exists(autostartDir.resolve(file.getFileName())));
                result.add(domain);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot load domain config " + file + ": " + e.getMessage());
            }
        }
        for (Path file : xmlFiles(statusDir)) {
            try {
                StatusFile status = StatusFile.parse(Files.readString(file, StandardCharsets.UTF_8));
                DomainDef def = DomainXml.parse(status.liveXml());
                DomainObject domain = result.stream().filter(d -> d.uuid().equals(def.uuid())).findFirst()
                    .orElseGet(() -> {
                        DomainObject transientDomain = new DomainObject(def.name(), def.uuid());
                        result.add(transientDomain);
                        return transientDomain;
                    });
                domain.setLiveXml(status.liveXml());
                domain.setId(status.id());
                domain.setState(status.state(), status.reason());
                domain.setRuntime(status.runtime());
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot load domain status " + file + ": " + e.getMessage());
            }
        }
        return result;
    }

    void writeConfig(DomainObject domain) {
        Path file = configDir.resolve(domain.name() + ".xml");
        try {
            configFiles().write(file, domain.persistentXml());
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.DOMAIN, "cannot write '" + file + "': " + e.getMessage(), e);
        }
    }

    /** Removes the definition and its autostart link, durably on return (a rename's old name). */
    void deleteConfig(DomainObject domain) {
        deleteConfig(domain, true);
    }

    /**
     * Removes an undefined domain's definition and autostart link as libvirt's undefine does, with an unlink it
     * never syncs: a crash may bring the domain back (whole), never lose a defined one. The journal makes the
     * removal durable with the next change or its idle checkpoint.
     */
    void undefineConfig(DomainObject domain) {
        deleteConfig(domain, false);
    }

    private void deleteConfig(DomainObject domain, boolean sync) {
        Path file = configDir.resolve(domain.name() + ".xml");
        Path link = autostartDir.resolve(domain.name() + ".xml");
        try {
            if (sync) {
                configFiles().delete(link, file);
            } else {
                configFiles().deleteWithoutSync(link, file);
            }
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.DOMAIN, "cannot remove '" + file + "': " + e.getMessage(), e);
        }
    }

    void writeAutostart(DomainObject domain, boolean autostart) {
        Path link = autostartDir.resolve(domain.name() + ".xml");
        try {
            if (autostart) {
                configFiles().symlink(link, configDir.resolve(domain.name() + ".xml"));
            } else {
                configFiles().delete(link);
            }
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.DOMAIN, "cannot change autostart link '" + link + "': "
                + e.getMessage(), e);
        }
    }

    /** Syncs the definitions written since the last checkpoint and closes their journal. */
    @Override
    public synchronized void close() {
        closed = true;
        if (configFiles == null) {
            return;
        }
        try {
            configFiles.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot checkpoint " + configDir + ", its journal keeps the changes: "
                + e.getMessage());
        }
        configFiles = null;
    }

    /** The config directory's journal, opened (and an interrupted run's changes replayed) on first use. */
    private synchronized JournaledDirectory configFiles() {
        if (closed) {
            // a call that outlived its core instance: the next instance owns the directory now
            throw VirtErrors.system(ErrorDomain.DOMAIN, "the domain store of '" + configDir + "' is closed", null);
        }
        if (configFiles == null) {
            try {
                configFiles = JournaledDirectory.open(configDir);
            } catch (IOException e) {
                throw VirtErrors.system(ErrorDomain.DOMAIN, "cannot open '" + configDir + "': " + e.getMessage(), e);
            }
        }
        return configFiles;
    }

    void writeStatus(DomainObject domain) {
        StatusFile status = new StatusFile(domain.state(), domain.reason(), domain.id(), domain.runtime(),
            domain.liveXml());
        write(statusDir.resolve(domain.name() + ".xml"), status.format());
    }

    void deleteStatus(DomainObject domain) {
        delete(statusDir.resolve(domain.name() + ".xml"));
    }

    Path managedSaveImage(String name) {
        return saveDir.resolve(name + ".save");
    }

    /** Whether the domain has a managed save image; asked on every undefine, start and filtered list. */
    boolean hasManagedSave(String name) {
        // java.io.File answers a missing file with false; Files.exists builds an exception for it first
        return managedSaveImage(name).toFile().isFile();
    }

    private static void write(Path file, String content) {
        try {
            AtomicFiles.write(file, content);
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.DOMAIN, "cannot write '" + file + "': " + e.getMessage(), e);
        }
    }

    private static void delete(Path file) {
        try {
            AtomicFiles.delete(file);
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.DOMAIN, "cannot remove '" + file + "': " + e.getMessage(), e);
        }
    }

    private static List<Path> xmlFiles(Path dir) {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.xml")) {
            for (Path file : stream) {
                if (Files.isRegularFile(file) && !file.getFileName().toString().startsWith(".")) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot list " + dir + ": " + e.getMessage());
        }
        files.sort(null);
        return files;
    }
}
