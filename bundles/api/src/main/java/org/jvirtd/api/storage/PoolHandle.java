package org.jvirtd.api.storage;

import java.util.Map;
import java.util.UUID;

import org.jvirtd.api.secret.SecretValues;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A storage pool as the storage core hands it to its backend: the definition (libvirt pool XML) and
 * the runtime facts core persists in the pool's status file.
 */
@ProviderType
public interface PoolHandle {
    String name();

    UUID uuid();

    String xml();

    Map<String, String> runtime();

    void putRuntime(Map<String, String> facts);

    /**
     * The secret driver's values, for the passphrases of encrypted volumes and the usage lookup that names a
     * volume's secret; "driver secret is not available" when the secret driver is not running.
     */
    SecretValues secrets();
}
