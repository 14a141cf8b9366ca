package org.jvirtd.api.secret;

import java.util.Objects;
import java.util.UUID;

/**
 * A secret's identity as clients see it (virSecretPtr, remote_nonnull_secret): UUID, usage type and usage
 * id, the id empty for a secret without usage.
 */
public record SecretRef(UUID uuid, SecretUsageType usageType, String usageId) {
    public SecretRef {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(usageType, "usageType");
        usageId = usageId == null ? "" : usageId;
    }
}
