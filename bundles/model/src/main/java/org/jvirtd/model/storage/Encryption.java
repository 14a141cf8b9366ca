package org.jvirtd.model.storage;

import java.util.List;

/**
 * {@code <encryption>} of a volume: format, passphrase secrets, and the LUKS cipher and IV generator.
 */
public record Encryption(String format, String engine, List<Secret> secrets, Cipher cipher, IvGen ivgen) {
    public Encryption {
        secrets = List.copyOf(secrets);
    }

    /** {@code <secret type uuid|usage/>}. */
    public record Secret(String type, String uuid, String usage) {
    }

    /** {@code <cipher name size mode hash/>}. */
    public record Cipher(String name, long size, String mode, String hash) {
    }

    /** {@code <ivgen name hash/>}. */
    public record IvGen(String name, String hash) {
    }
}
