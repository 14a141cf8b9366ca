package org.jvirtd.api.secret;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives secret events. Called on the secret driver's delivery thread: return quickly.
 */
@ConsumerType
@FunctionalInterface
public interface SecretEventListener {
    void onSecretEvent(SecretEvent event);
}
