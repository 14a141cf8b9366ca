package org.jvirtd.api.storage;

import java.util.Map;
import java.util.UUID;

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
}
