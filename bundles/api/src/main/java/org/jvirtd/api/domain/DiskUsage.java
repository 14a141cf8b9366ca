package org.jvirtd.api.domain;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Which running domain uses a file or block device as a disk, so storage can refuse to delete a
 * volume from under a guest.
 */
@ProviderType
public interface DiskUsage {
    /** The name of an active domain whose live definition has a disk with this source path, if any. */
    Optional<String> activeDomainUsing(String path);
}
