package org.jvirtd.driver.qemu.internal.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.platform.files.AtomicFiles;

/**
 * A domain's checkpoint metadata, one readable XML file per checkpoint in {@code checkpoint/DOMAIN/} of the
 * driver's state directory (where libvirt keeps its own), each written atomically.
 */
public final class CheckpointStore {
    private final Path dir;

    public CheckpointStore(Path stateDir, String domain) {
        this.dir = stateDir.resolve("checkpoint").resolve(domain);
    }

    /** The checkpoints in creation order. */
    public List<Checkpoint> all() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Checkpoint> list = new ArrayList<>();
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".xml")).toList()) {
                list.add(Checkpoint.parse(Files.readString(f, StandardCharsets.UTF_8)));
            }
            list.sort(Comparator.comparingLong(Checkpoint::creationTime).thenComparing(Checkpoint::name));
            return list;
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot read checkpoints in " + dir, e);
        }
    }

    public Optional<Checkpoint> find(String name) {
        return all().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public Checkpoint require(String name) {
        return find(name).orElseThrow(() -> new VirtException(ErrorCode.NO_DOMAIN_CHECKPOINT, ErrorDomain.QEMU,
            "no domain checkpoint with matching name '" + name + "'"));
    }

    /** The newest checkpoint: the parent of the next one (libvirt's "current" checkpoint). */
    public Optional<Checkpoint> current() {
        List<Checkpoint> all = all();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    public void save(Checkpoint checkpoint) {
        if (checkpoint.name().contains("/") || checkpoint.name().startsWith(".")) {
            throw VirtErrors.invalidArg(ErrorDomain.QEMU, "invalid checkpoint name '" + checkpoint.name() + "'");
        }
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(dir.resolve(checkpoint.name() + ".xml"), checkpoint.format(true));
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot save checkpoint " + checkpoint.name(), e);
        }
    }

    public void remove(String name) {
        try {
            AtomicFiles.delete(dir.resolve(name + ".xml"));
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot remove checkpoint " + name, e);
        }
    }
}
