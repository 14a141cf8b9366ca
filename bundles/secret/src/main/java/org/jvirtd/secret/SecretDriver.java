package org.jvirtd.secret;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Secrets;
import org.jvirtd.api.secret.SecretEvent;
import org.jvirtd.api.secret.SecretEventListener;
import org.jvirtd.api.secret.SecretFlags;
import org.jvirtd.api.secret.SecretRef;
import org.jvirtd.api.secret.SecretUsageType;
import org.jvirtd.api.secret.SecretValues;
import org.jvirtd.core.config.DaemonConfig;
import org.jvirtd.model.secret.SecretDef;
import org.jvirtd.model.secret.SecretXml;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The secret driver (libvirt's virtsecretd): secrets defined from libvirt's secret XML, their values kept in
 * memory and, for non-ephemeral secrets, in the config directory's {@code secrets/} folder with the values
 * encrypted under the host key; read back when the bundle or the daemon starts again. Ephemeral secrets are
 * carried over an update of this bundle ({@link EphemeralStash}) and end with the daemon. Settings read from
 * jvirtd.conf: {@code secrets_encryption_key}, the host key file (default
 * {@code <state>/secrets/secrets-encryption-key}, made on first start). As {@link SecretValues} it gives the
 * other drivers the values they need (LUKS passphrases), private ones included, as libvirt's internal calls do.
 */
@Component(service = {Secrets.class, SecretValues.class}, immediate = true)
public final class SecretDriver implements Secrets, SecretValues {
    private final SecretFiles files;
    private final EphemeralStash stash;
    private final SecretEvents events = new SecretEvents();
    private final Map<UUID, SecretObject> secrets = new TreeMap<>(SecretDriver::byText);

    @Activate
    public SecretDriver(@Reference DaemonConfig config) {
        Path defaultKey = config.paths().stateDir().resolve("secrets/secrets-encryption-key");
        Path keyFile = Path.of(config.settings().string("secrets_encryption_key", defaultKey.toString()));
        try {
            ValueCipher cipher = ValueCipher.withHostKey(keyFile);
            this.files = new SecretFiles(config.paths().configDir().resolve("secrets"), cipher);
            this.stash = new EphemeralStash(config.paths().runDir().resolve("secrets-ephemeral"), cipher,
                config);
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.SECRET, "cannot read or create the secrets encryption key "
                + keyFile + ": " + e.getMessage(), e);
        }
        for (SecretFiles.Stored stored : files.loadAll()) {
            secrets.put(stored.def().uuid(), new SecretObject(stored.def(), stored.value()));
        }
        for (SecretFiles.Stored stored : stash.take()) {
            secrets.putIfAbsent(stored.def().uuid(), new SecretObject(stored.def(), stored.value()));
        }
    }

    /** Ephemeral secrets are left for the next driver of this daemon (a bundle update), then values wiped. */
    @Deactivate
    public void deactivate() {
        events.close();
        synchronized (this) {
            stash.leave(secrets.values().stream().filter(secret -> secret.def.ephemeral())
                .map(secret -> new SecretFiles.Stored(secret.def, secret.value())).toList());
            secrets.values().forEach(secret -> secret.value(null));
        }
    }

    /** UUIDs in the order of their text, the order virsh lists them in. */
    private static int byText(UUID a, UUID b) {
        return a.toString().compareTo(b.toString());
    }

    @Override
    public synchronized List<SecretRef> listAll(int flags) {
        VirtErrors.checkFlags(ErrorDomain.SECRET, flags, SecretFlags.LIST_FILTERS_ALL, "secretConnectListAllSecrets");
        List<SecretRef> out = new ArrayList<>();
        for (SecretObject secret : secrets.values()) {
            if (matches(flags, secret.def.ephemeral(), SecretFlags.LIST_EPHEMERAL, SecretFlags.LIST_NO_EPHEMERAL)
                && matches(flags, secret.def.isPrivate(), SecretFlags.LIST_PRIVATE, SecretFlags.LIST_NO_PRIVATE)) {
                out.add(secret.ref());
            }
        }
        return out;
    }

    private static boolean matches(int flags, boolean value, int yes, int no) {
        return (flags & (yes | no)) == 0 || (flags & (value ? yes : no)) != 0;
    }

    @Override
    public synchronized SecretRef lookupByUuid(UUID uuid) {
        return find(uuid).ref();
    }

    @Override
    public synchronized SecretRef lookupByUsage(SecretUsageType type, String usageId) {
        SecretObject secret = findByUsage(type, usageId);
        if (secret == null) {
            throw new VirtException(ErrorCode.NO_SECRET, ErrorDomain.SECRET, "no secret with matching usage '"
                + usageId + "'");
        }
        return secret.ref();
    }

    @Override
    public SecretRef define(String xml, int flags) {
        VirtErrors.checkFlags(ErrorDomain.SECRET, flags, SecretFlags.DEFINE_VALIDATE, "secretDefineXML");
        SecretDef def = SecretXml.parse(xml, (flags & SecretFlags.DEFINE_VALIDATE) != 0);
        SecretRef ref;
        synchronized (this) {
            SecretObject existing = secrets.get(def.uuid());
            checkRedefinition(existing, def);
            persistDefinition(existing, def);
            if (existing == null) {
                secrets.put(def.uuid(), new SecretObject(def, null));
            } else {
                existing.def = def;
            }
            ref = secrets.get(def.uuid()).ref();
        }
        events.publish(ref, SecretEvent.Type.DEFINED);
        return ref;
    }

    /** libvirt's rules for a definition: its usage stays with its UUID, and a private secret stays private. */
    private void checkRedefinition(SecretObject existing, SecretDef def) {
        if (existing != null) {
            if (!Objects.equals(existing.def.usageId(), def.usageId())) {
                throw VirtErrors.internal(ErrorDomain.SECRET, "a secret with UUID " + def.uuid()
                    + " is already defined for use with " + existing.def.usageId());
            }
            if (existing.def.isPrivate() && !def.isPrivate()) {
                throw VirtErrors.internal(ErrorDomain.SECRET, "cannot change private flag on existing secret");
            }
            return;
        }
        SecretObject sameUsage = findByUsage(def.usageType(), def.usageId());
        if (sameUsage != null) {
            throw VirtErrors.internal(ErrorDomain.SECRET, "a secret with UUID " + sameUsage.def.uuid()
                + " already defined for use with " + def.usageId());
        }
    }

    /**
     * Writes the files a definition needs before memory changes: a secret that stops being ephemeral gets its
     * value written, one that becomes ephemeral loses its files.
     */
    private void persistDefinition(SecretObject existing, SecretDef def) {
        boolean wasEphemeral = existing != null && existing.def.ephemeral();
        if (!def.ephemeral()) {
            boolean valueWritten = wasEphemeral && existing.value() != null;
            if (valueWritten) {
                files.saveValue(def.uuid(), existing.value());
            }
            try {
                files.saveDefinition(def);
            } catch (VirtException e) {
                if (valueWritten) {
                    files.deleteValue(def.uuid());
                }
                throw e;
            }
        } else if (existing != null && !wasEphemeral) {
            files.deleteDefinition(def.uuid());
            files.deleteValue(def.uuid());
        }
    }

    @Override
    public void undefine(SecretRef ref) {
        SecretRef gone;
        synchronized (this) {
            SecretObject secret = find(ref.uuid());
            if (!secret.def.ephemeral()) {
                files.deleteDefinition(secret.def.uuid());
            }
            gone = secret.ref();
            files.deleteValue(secret.def.uuid());
            secrets.remove(secret.def.uuid());
            secret.value(null);
        }
        events.publish(gone, SecretEvent.Type.UNDEFINED);
    }

    @Override
    public synchronized String xml(SecretRef ref, int flags) {
        VirtErrors.checkFlags(ErrorDomain.SECRET, flags, 0, "secretGetXMLDesc");
        return SecretXml.format(find(ref.uuid()).def);
    }

    @Override
    public void setValue(SecretRef ref, byte[] value, int flags) {
        VirtErrors.checkFlags(ErrorDomain.SECRET, flags, 0, "secretSetValue");
        SecretRef changed;
        synchronized (this) {
            SecretObject secret = find(ref.uuid());
            byte[] copy = value.clone();
            if (!secret.def.ephemeral()) {
                files.saveValue(secret.def.uuid(), copy);
            }
            secret.value(copy);
            changed = secret.ref();
        }
        events.publish(changed, SecretEvent.Type.VALUE_CHANGED);
    }

    @Override
    public synchronized byte[] value(SecretRef ref, int flags) {
        VirtErrors.checkFlags(ErrorDomain.SECRET, flags, 0, "secretGetValue");
        SecretObject secret = find(ref.uuid());
        if (secret.def.isPrivate()) {
            throw new VirtException(ErrorCode.INVALID_SECRET, ErrorDomain.SECRET, "secret is private");
        }
        if (secret.value() == null) {
            throw new VirtException(ErrorCode.NO_SECRET, ErrorDomain.SECRET, "secret '" + secret.def.uuid()
                + "' does not have a value");
        }
        return secret.value().clone();
    }

    @Override
    public synchronized byte[] value(UUID uuid) {
        SecretObject secret = find(uuid);
        if (secret.value() == null) {
            throw new VirtException(ErrorCode.NO_SECRET, ErrorDomain.SECRET, "secret '" + uuid
                + "' does not have a value");
        }
        return secret.value().clone();
    }

    @Override
    public synchronized Optional<UUID> byUsage(SecretUsageType type, String usageId) {
        SecretObject secret = findByUsage(type, usageId);
        return secret == null ? Optional.empty() : Optional.of(secret.def.uuid());
    }

    @Override
    public AutoCloseable subscribe(SecretEventListener listener) {
        return events.subscribe(listener);
    }

    private SecretObject find(UUID uuid) {
        SecretObject secret = secrets.get(uuid);
        if (secret == null) {
            throw new VirtException(ErrorCode.NO_SECRET, ErrorDomain.SECRET, "no secret with matching uuid '"
                + uuid + "'");
        }
        return secret;
    }

    /** The secret used for this purpose; a secret without usage is never found this way. */
    private SecretObject findByUsage(SecretUsageType type, String usageId) {
        if (type == SecretUsageType.NONE) {
            return null;
        }
        for (SecretObject secret : secrets.values()) {
            if (secret.def.usageType() == type && secret.def.usageId().equals(usageId)) {
                return secret;
            }
        }
        return null;
    }
}
