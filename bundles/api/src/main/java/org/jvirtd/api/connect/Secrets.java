package org.jvirtd.api.connect;

import java.util.List;
import java.util.UUID;

import org.jvirtd.api.secret.SecretEventListener;
import org.jvirtd.api.secret.SecretRef;
import org.jvirtd.api.secret.SecretUsageType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * libvirt's secret API (virSecret*), what virsh's secret-* commands and the RPC server use. Every method
 * throws {@link org.jvirtd.api.VirtException} with libvirt's code and message on failure; flag values are
 * in {@link org.jvirtd.api.secret.SecretFlags}. Read-only connections are refused by the caller.
 */
@ProviderType
public interface Secrets {
    /** virConnectListAllSecrets: secrets matching the LIST_* filter flags (0: all), sorted by UUID. */
    List<SecretRef> listAll(int flags);

    SecretRef lookupByUuid(UUID uuid);

    /** virSecretLookupByUsage: the secret of this usage type and id. */
    SecretRef lookupByUsage(SecretUsageType type, String usageId);

    /** virSecretDefineXML: defines a secret or redefines the one with the same UUID. */
    SecretRef define(String xml, int flags);

    /** virSecretUndefine: forgets the secret and its value, on disk too. */
    void undefine(SecretRef secret);

    /** virSecretGetXMLDesc. */
    String xml(SecretRef secret, int flags);

    /** virSecretSetValue: the value is kept in memory and, for a non-ephemeral secret, encrypted on disk. */
    void setValue(SecretRef secret, byte[] value, int flags);

    /** virSecretGetValue: refused for a private secret. */
    byte[] value(SecretRef secret, int flags);

    /** Delivers secret events to a listener until the returned handle is closed. */
    AutoCloseable subscribe(SecretEventListener listener);
}
