package org.jvirtd.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jvirtd.platform.files.AtomicFiles;

/**
 * Carries the ephemeral secrets over an update of the secret bundle: the stopping driver leaves them in the run
 * directory (definition, and value encrypted under the host key as persistent values are), the next driver of the
 * same daemon takes them back and removes the files. Files another daemon left (the daemon was restarted or
 * crashed; one daemon is this process with this daemon configuration object, which a bundle update of the secret
 * driver does not replace) are removed unread, so a daemon restart forgets ephemeral secrets as libvirtd's does.
 */
final class EphemeralStash {
    private static final String OWNER = "owner";
    private final Path dir;
    private final SecretFiles files;
    private final String daemon;

    /** {@code daemonObject}: an object of the running daemon that outlives updates of the secret bundle. */
    EphemeralStash(Path dir, ValueCipher cipher, Object daemonObject) {
        this.dir = dir;
        this.files = new SecretFiles(dir, cipher);
        ProcessHandle self = ProcessHandle.current();
        this.daemon = self.pid() + " " + self.info().startInstant().map(Object::toString).orElse("?") + " "
            + Integer.toHexString(System.identityHashCode(daemonObject));
    }

    /** Leaves the secrets for the next driver of this process. */
    void leave(List<SecretFiles.Stored> ephemeral) {
        if (ephemeral.isEmpty()) {
            return;
        }
        for (SecretFiles.Stored secret : ephemeral) {
            files.saveDefinition(secret.def());
            if (secret.value() != null) {
                files.saveValue(secret.def().uuid(), secret.value());
            }
        }
        try {
            AtomicFiles.write(dir.resolve(OWNER), daemon);
        } catch (IOException e) {
            System.err.println("jvirtd: cannot keep the ephemeral secrets over the update: " + e.getMessage());
        }
    }

    /** The secrets this process left, if any; the stash is empty afterwards. */
    List<SecretFiles.Stored> take() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<SecretFiles.Stored> taken = List.of();
        try {
            Path owner = dir.resolve(OWNER);
            if (Files.exists(owner) && Files.readString(owner, StandardCharsets.US_ASCII).equals(daemon)) {
                taken = files.loadAll();
            }
            try (DirectoryStream<Path> left = Files.newDirectoryStream(dir)) {
                for (Path file : left) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            System.err.println("jvirtd: cannot read or clear " + dir + ": " + e.getMessage());
        }
        return taken;
    }

}
