package org.jvirtd.secret;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.platform.files.AtomicFiles;

/**
 * Encrypts secret values at rest the way libvirt's secret driver does when it has a
 * {@code secrets-encryption-key} (libvirt 10.x and later; 9.0 stores them in clear base64): AES-256-CBC with
 * PKCS#7 padding under a 32-byte host key, a random 16-byte IV per write, the file holding
 * base64(IV || ciphertext). The host key is a file of 32 random bytes, mode 0600, made on first use and
 * never replaced.
 */
final class ValueCipher {
    static final int KEY_LENGTH = 32;
    private static final int IV_LENGTH = 16;
    private static final String TRANSFORMATION = "AES/CBC/PKCS5Padding";

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private ValueCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The cipher of the host key in {@code keyFile}, creating the key there when the file does not exist. */
    static ValueCipher withHostKey(Path keyFile) throws IOException {
        if (!Files.exists(keyFile)) {
            byte[] fresh = new byte[KEY_LENGTH];
            new SecureRandom().nextBytes(fresh);
            SecretFiles.ensurePrivateDirectory(keyFile.toAbsolutePath().getParent());
            try {
                AtomicFiles.write(keyFile, fresh);
            } finally {
                Arrays.fill(fresh, (byte) 0);
            }
        }
        byte[] key = Files.readAllBytes(keyFile);
        try {
            if (key.length != KEY_LENGTH) {
                throw VirtErrors.internal(ErrorDomain.SECRET, "Encryption key length must be '" + KEY_LENGTH + "' '"
                    + keyFile + "'");
            }
            return new ValueCipher(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The file content for a value: base64 of a fresh IV followed by the ciphertext. */
    String encrypt(byte[] value) {
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            byte[] sealed = cipher.doFinal(value);
            byte[] out = new byte[IV_LENGTH + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_LENGTH);
            System.arraycopy(sealed, 0, out, IV_LENGTH, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw VirtErrors.internal(ErrorDomain.SECRET, "cannot encrypt secret value: " + e.getMessage());
        }
    }

    /** The value a file written by {@link #encrypt} holds. */
    byte[] decrypt(String content, String file) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(content.strip());
        } catch (IllegalArgumentException e) {
            throw VirtErrors.internal(ErrorDomain.SECRET, "invalid base64 in '" + file + "'");
        }
        try {
            if (decoded.length < IV_LENGTH) {
                throw new VirtException(ErrorCode.INVALID_SECRET, ErrorDomain.SECRET,
                    "Encrypted secret size '" + decoded.length + "' is invalid");
            }
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(decoded, 0, IV_LENGTH));
            return cipher.doFinal(decoded, IV_LENGTH, decoded.length - IV_LENGTH);
        } catch (GeneralSecurityException e) {
            throw VirtErrors.internal(ErrorDomain.SECRET, "cannot decrypt '" + file + "': " + e.getMessage());
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }
}
