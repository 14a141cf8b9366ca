package org.jvirtd.api.storage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears how far a long volume operation (wipe, clone, upload) has got.
 */
@ConsumerType
@FunctionalInterface
public interface ProgressListener {
    void progress(long done, long total);
}
