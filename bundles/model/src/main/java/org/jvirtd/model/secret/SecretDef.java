package org.jvirtd.model.secret;

import java.util.Objects;
import java.util.UUID;

import org.jvirtd.api.secret.SecretUsageType;

/**
 * A parsed {@code <secret>}: its UUID, the ephemeral (memory only) and private (value never read back)
 * flags, an optional description, and what it is used for (usage type and id; NONE with a null id).
 */
public record SecretDef(UUID uuid, boolean ephemeral, boolean isPrivate, String description,
                        SecretUsageType usageType, String usageId) {
    public SecretDef {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(usageType, "usageType");
    }
}
