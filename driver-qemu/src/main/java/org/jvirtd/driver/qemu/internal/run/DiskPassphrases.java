package org.jvirtd.driver.qemu.internal.run;

import java.util.UUID;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.secret.SecretUsageType;
import org.jvirtd.api.secret.SecretValues;
import org.jvirtd.driver.qemu.internal.command.DiskSecrets;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * The passphrases of encrypted disks, read from the secret driver while it is there (it can come, go and be
 * replaced while the QEMU driver runs): by the secret's UUID, or by its volume usage, libvirt's errors when
 * there is no such secret or it has no value.
 */
public final class DiskPassphrases implements DiskSecrets.Passphrases {
    private volatile SecretValues secrets;

    public void bind(SecretValues service) {
        secrets = service;
    }

    public void unbind(SecretValues service) {
        if (secrets == service) {
            secrets = null;
        }
    }

    @Override
    public byte[] of(GuestDef.DiskEncryption encryption) {
        SecretValues service = secrets;
        if (service == null) {
            throw VirtErrors.driverUnavailable("secret");
        }
        UUID uuid = encryption.secretUuid() != null ? UUID.fromString(encryption.secretUuid())
            : service.byUsage(SecretUsageType.VOLUME, encryption.secretUsage()).orElseThrow(() -> new VirtException(
                ErrorCode.NO_SECRET, ErrorDomain.SECRET, "no secret with matching usage '" + encryption.secretUsage()
                    + "'"));
        return service.value(uuid);
    }

    /** The disk secrets of one command line, under {@code masterKey}. */
    public DiskSecrets under(byte[] masterKey) {
        return new DiskSecrets(masterKey, this);
    }
}
