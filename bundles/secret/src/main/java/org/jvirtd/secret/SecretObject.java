package org.jvirtd.secret;

import java.util.Arrays;

import org.jvirtd.api.secret.SecretRef;
import org.jvirtd.model.secret.SecretDef;

/** One secret the driver knows: its definition and its value (null until one is set). Guarded by the driver. */
final class SecretObject {
    SecretDef def;
    private byte[] value;

    SecretObject(SecretDef def, byte[] value) {
        this.def = def;
        this.value = value;
    }

    SecretRef ref() {
        return new SecretRef(def.uuid(), def.usageType(), def.usageId());
    }

    byte[] value() {
        return value;
    }

    /** Replaces the value, wiping the old one from memory as libvirt does. */
    void value(byte[] next) {
        if (value != null && value != next) {
            Arrays.fill(value, (byte) 0);
        }
        value = next;
    }
}
