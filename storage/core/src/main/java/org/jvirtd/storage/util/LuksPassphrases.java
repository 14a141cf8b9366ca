package org.jvirtd.storage.util;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.secret.SecretUsageType;
import org.jvirtd.api.secret.SecretValues;
import org.jvirtd.model.storage.Encryption;
import org.jvirtd.model.storage.VolumeDef;

/**
 * Hands the LUKS passphrases of one qemu-img run over so that neither a file nor the command line holds them
 * in clear: a fresh random key goes through qemu-img's standard input ({@code secret,file=/dev/stdin}), and
 * each passphrase rides on the command line AES-256-CBC encrypted under it ({@code data=...,keyid=...,iv=...}),
 * the way libvirt hands disk passphrases to QEMU under a domain's master key. The key is wiped on close.
 */
public final class LuksPassphrases implements QemuImgArgv.Secrets, AutoCloseable {
    static final String KEY_ID = "masterKey0";
    private static final int KEY_LENGTH = 32;
    private static final int IV_LENGTH = 16;

    private final SecretValues secrets;
    private final byte[] key = new byte[KEY_LENGTH];
    private final SecureRandom random = new SecureRandom();

    public LuksPassphrases(SecretValues secrets) {
        this.secrets = secrets;
        random.nextBytes(key);
    }

    /** What qemu-img reads on its standard input: the key the passphrases are encrypted with. */
    public byte[] standardInput() {
        return key.clone();
    }

    @Override
    public String keyObject() {
        return "secret,id=" + KEY_ID + ",format=raw,file=/dev/stdin";
    }

    @Override
    public String passphraseObject(String id, VolumeDef vol, boolean input) {
        byte[] passphrase = secrets.value(secretOf(vol));
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            Base64.Encoder b64 = Base64.getEncoder();
            return "secret,id=" + id + ",data=" + b64.encodeToString(cipher.doFinal(passphrase)) + ",keyid=" + KEY_ID + ",iv="
                + b64.encodeToString(iv) + ",format=base64";
        } catch (GeneralSecurityException e) {
            throw StorageErrors.internal("cannot encrypt the passphrase of '" + vol.name() + "': " + e.getMessage());
        } finally {
            Arrays.fill(passphrase, (byte) 0);
        }
    }

    /** The secret an {@code <encryption>} names, by UUID or by its volume usage. */
    private UUID secretOf(VolumeDef vol) {
        Encryption enc = vol.target().encryption();
        if (enc.secrets().isEmpty()) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.STORAGE,
                "missing encryption description");
        }
        Encryption.Secret secret = enc.secrets().get(0);
        if (secret.uuid() != null) {
            return UUID.fromString(secret.uuid());
        }
        return secrets.byUsage(SecretUsageType.VOLUME, secret.usage()).orElseThrow(() -> new VirtException(
            ErrorCode.NO_SECRET, ErrorDomain.SECRET, "no secret with matching usage '" + secret.usage() + "'"));
    }

    @Override
    public void close() {
        Arrays.fill(key, (byte) 0);
    }
}
