package org.jvirtd.api.secret;

import java.util.Optional;
import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Secret values for the daemon's own drivers, what libvirt's drivers read with the internal-call flag: the
 * passphrase of a LUKS volume or disk, later RBD and iSCSI keys. A private secret's value is given here too;
 * this service is never offered to clients (they use {@link org.jvirtd.api.connect.Secrets}). A caller wipes
 * the array it gets once it is done with it.
 */
@ProviderType
public interface SecretValues {
    /**
     * The value of the secret with this UUID; libvirt's NO_SECRET error when there is no such secret or it has
     * no value.
     */
    byte[] value(UUID uuid);

    /** The UUID of the secret defined for this usage (a volume's path for VOLUME), if there is one. */
    Optional<UUID> byUsage(SecretUsageType type, String usageId);
}
