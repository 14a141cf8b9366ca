package org.jvirtd.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.secret.SecretDef;
import org.jvirtd.model.secret.SecretXml;
import org.jvirtd.platform.files.AtomicFiles;

/**
 * Non-ephemeral secrets on disk, in libvirt's layout: {@code <config>/secrets/UUID.xml} (the definition) and
 * {@code UUID.aes256cbc} (the value, encrypted by {@link ValueCipher}); a {@code UUID.base64} value in clear, as
 * libvirt 9.0 writes it, is read and replaced by the encrypted form on the next write. The directory is 0700,
 * every file 0600 and written atomically.
 */
final class SecretFiles {
    static final String ENCRYPTED = ".aes256cbc";
    static final String CLEAR = ".base64";

    private final Path dir;
    private final ValueCipher cipher;

    SecretFiles(Path dir, ValueCipher cipher) {
        this.dir = dir;
        this.cipher = cipher;
    }

    /** A secret read back from disk: its definition and value (null when it has none). */
    record Stored(SecretDef def, byte[] value) {
    }

    void saveDefinition(SecretDef def) {
        io("save secret " + def.uuid(), () -> {
            ensurePrivateDirectory(dir);
            AtomicFiles.write(file(def.uuid(), ".xml"), SecretXml.format(def));
        });
    }

    void deleteDefinition(UUID uuid) {
        io("delete secret " + uuid, () -> AtomicFiles.delete(file(uuid, ".xml")));
    }

    void saveValue(UUID uuid, byte[] value) {
        io("save value of secret " + uuid, () -> {
            ensurePrivateDirectory(dir);
            AtomicFiles.write(file(uuid, ENCRYPTED), cipher.encrypt(value));
            AtomicFiles.delete(file(uuid, CLEAR));
        });
    }

    /** Removes both forms of a value; a leftover file is harmless once the definition is gone. */
    void deleteValue(UUID uuid) {
        io("delete value of secret " + uuid, () -> {
            AtomicFiles.delete(file(uuid, ENCRYPTED));
            AtomicFiles.delete(file(uuid, CLEAR));
        });
    }

    /** Every stored secret that reads back; one that does not is skipped with a message, as libvirt skips it. */
    List<Stored> loadAll() {
        List<Stored> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.xml")) {
            for (Path file : files) {
                try {
                    out.add(load(file));
                } catch (VirtException | IOException broken) {
                    System.err.println("jvirtd: Error reading secret: " + broken.getMessage());
                }
            }
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.SECRET, "cannot read " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private Stored load(Path file) throws IOException {
        SecretDef def = SecretXml.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!file.getFileName().toString().equals(def.uuid() + ".xml")) {
            throw VirtErrors.internal(ErrorDomain.SECRET, "<uuid> does not match secret file name '"
                + file.getFileName() + "'");
        }
        return new Stored(def, loadValue(def.uuid()));
    }

    private byte[] loadValue(UUID uuid) throws IOException {
        Path encrypted = file(uuid, ENCRYPTED);
        if (Files.exists(encrypted)) {
            return cipher.decrypt(Files.readString(encrypted, StandardCharsets.US_ASCII), encrypted.toString());
        }
        Path clear = file(uuid, CLEAR);
        if (Files.exists(clear)) {
            byte[] content = Files.readAllBytes(clear);
            try {
                return Base64.getDecoder().decode(new String(content, StandardCharsets.US_ASCII).strip());
            } catch (IllegalArgumentException e) {
                throw VirtErrors.internal(ErrorDomain.SECRET, "invalid base64 in '" + clear + "'");
            } finally {
                Arrays.fill(content, (byte) 0);
            }
        }
        return null;
    }

    Path file(UUID uuid, String suffix) {
        return dir.resolve(uuid + suffix);
    }

    /** Creates {@code dir} readable by its owner only, as libvirt makes its secrets directory. */
    static void ensurePrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    private static void io(String what, IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.SECRET, "cannot " + what + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }
}
