package org.jvirtd.driver.qemu.internal.command;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * The passphrases of a guest's encrypted disks as libvirt hands them to QEMU: each a secret object whose data
 * is the passphrase AES-256-CBC encrypted under the domain's master key (the {@code masterKey0} object QEMU
 * reads from the private directory) with an IV of its own, so neither the command line nor a file holds a
 * passphrase in clear.
 */
public final class DiskSecrets {
    static final String MASTER_KEY_ID = "masterKey0";
    private static final int IV_LENGTH = 16;

    /** Where the passphrases come from (the secret driver). */
    @FunctionalInterface
    public interface Passphrases {
        /** The passphrase of an {@code <encryption>}; the caller wipes it. */
        byte[] of(GuestDef.DiskEncryption encryption);
    }

    /** For command lines of guests without encrypted disks: an encrypted one is refused. */
    public static final DiskSecrets NONE = new DiskSecrets(new byte[32], encryption -> {
        throw VirtErrors.internal(ErrorDomain.QEMU, "the passphrase of an encrypted disk needs the secret driver");
    });

    private final byte[] masterKey;
    private final Passphrases passphrases;
    private final SecureRandom random = new SecureRandom();

    /** {@code masterKey} is the 32 bytes QEMU reads as masterKey0. */
    public DiskSecrets(byte[] masterKey, Passphrases passphrases) {
        this.masterKey = masterKey.clone();
        this.passphrases = passphrases;
    }

    /** A fresh random master key. */
    public static byte[] newMasterKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** The secret object {@code id} holding the passphrase of {@code disk}'s encryption. */
    Props object(String id, GuestDef.Disk disk) {
        GuestDef.DiskEncryption enc = disk.encryption();
        if (enc.secretUuid() == null && enc.secretUsage() == null) {
            throw VirtErrors.internal(ErrorDomain.QEMU, "missing secret info for '" + DiskSection.formatDriver(disk)
                + "' driver");
        }
        byte[] passphrase = passphrases.of(enc);
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new IvParameterSpec(iv));
            Base64.Encoder b64 = Base64.getEncoder();
            return Props.of("qom-type", "secret").put("id", id).put("data", b64.encodeToString(cipher.doFinal(passphrase)))
                .put("keyid", MASTER_KEY_ID).put("iv", b64.encodeToString(iv)).put("format", "base64");
        } catch (GeneralSecurityException e) {
            throw VirtErrors.internal(ErrorDomain.QEMU, "cannot encrypt a disk passphrase: " + e.getMessage());
        } finally {
            Arrays.fill(passphrase, (byte) 0);
        }
    }
}
