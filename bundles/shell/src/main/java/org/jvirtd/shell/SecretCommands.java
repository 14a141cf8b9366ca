package org.jvirtd.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Secrets;
import org.jvirtd.api.secret.SecretFlags;
import org.jvirtd.api.secret.SecretRef;
import org.jvirtd.api.secret.SecretUsageType;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's secret commands in the Gogo scope {@code virt}, with virsh's names, options and output
 * ({@code secret_list} is also {@code secret-list}, see {@link HyphenatedNames}); present while the secret
 * bundle is.
 */
@Component(service = SecretCommands.class, immediate = true, property = {
    "osgi.command.scope=virt",
    "osgi.command.function=secret_define", "osgi.command.function=secret_undefine",
    "osgi.command.function=secret_dumpxml", "osgi.command.function=secret_set_value",
    "osgi.command.function=secret_get_value", "osgi.command.function=secret_list"})
public final class SecretCommands {
    private final Secrets secrets;
    private final HyphenatedNames aliases;

    @Activate
    public SecretCommands(@Reference Secrets secrets, BundleContext context) {
        this.secrets = secrets;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    @Descriptor("define or modify a secret from an XML file")
    public void secret_define(CommandSession session,
                              @Descriptor("validate the XML against the schema")
                              @Parameter(names = "--validate", presentValue = "true", absentValue = "false")
                              boolean validate,
                              @Descriptor("file containing secret attributes in XML") String file) {
        Shell.run(session, "Failed to set attributes from " + file, () -> {
            SecretRef s = secrets.define(readFile(file), validate ? SecretFlags.DEFINE_VALIDATE : 0);
            System.out.println("Secret " + s.uuid() + " created");
        });
    }

    @Descriptor("undefine a secret")
    public void secret_undefine(CommandSession session, @Descriptor("secret UUID") String secret) {
        withSecret(session, secret, "Failed to delete secret %s", s -> {
            secrets.undefine(s);
            System.out.println("Secret " + s.uuid() + " deleted");
        });
    }

    @Descriptor("secret attributes in XML")
    public void secret_dumpxml(CommandSession session, @Descriptor("secret UUID") String secret) {
        withSecret(session, secret, null, s -> System.out.print(secrets.xml(s, 0)));
    }

    @Descriptor("set a secret value, read from a file (base64 unless --plain) or given base64-encoded")
    public void secret_set_value(CommandSession session,
                                 @Descriptor("read secret from file")
                                 @Parameter(names = "--file", absentValue = "") String file,
                                 @Descriptor("read the secret from file without converting from base64")
                                 @Parameter(names = "--plain", presentValue = "true", absentValue = "false")
                                 boolean plain,
                                 @Descriptor("base64-encoded secret value")
                                 @Parameter(names = "--base64", absentValue = "") String base64,
                                 @Descriptor("secret UUID") String secret) {
        withSecret(session, secret, "Failed to set secret value", s -> {
            byte[] value = value(file, plain, base64);
            try {
                secrets.setValue(s, value, 0);
            } finally {
                Arrays.fill(value, (byte) 0);
            }
            System.out.println("Secret value set");
        });
    }

    @Descriptor("output a secret value (base64-encoded unless --plain)")
    public void secret_get_value(CommandSession session,
                                 @Descriptor("get value without converting to base64")
                                 @Parameter(names = "--plain", presentValue = "true", absentValue = "false")
                                 boolean plain,
                                 @Descriptor("secret UUID") String secret) {
        withSecret(session, secret, null, s -> {
            byte[] value = secrets.value(s, 0);
            try {
                System.out.println(plain ? new String(value, StandardCharsets.UTF_8)
                    : Base64.getEncoder().encodeToString(value));
            } finally {
                Arrays.fill(value, (byte) 0);
            }
        });
    }

    @Descriptor("list secrets")
    public void secret_list(CommandSession session,
                            @Descriptor("list ephemeral secrets")
                            @Parameter(names = "--ephemeral", presentValue = "true", absentValue = "false")
                            boolean ephemeral,
                            @Descriptor("list non-ephemeral secrets")
                            @Parameter(names = "--no-ephemeral", presentValue = "true", absentValue = "false")
                            boolean noEphemeral,
                            @Descriptor("list private secrets")
                            @Parameter(names = "--private", presentValue = "true", absentValue = "false")
                            boolean isPrivate,
                            @Descriptor("list non-private secrets")
                            @Parameter(names = "--no-private", presentValue = "true", absentValue = "false")
                            boolean noPrivate) {
        Shell.run(session, null, () -> {
            int flags = (ephemeral ? SecretFlags.LIST_EPHEMERAL : 0) | (noEphemeral ? SecretFlags.LIST_NO_EPHEMERAL : 0)
                | (isPrivate ? SecretFlags.LIST_PRIVATE : 0) | (noPrivate ? SecretFlags.LIST_NO_PRIVATE : 0);
            Table table = new Table("UUID", "Usage");
            for (SecretRef s : secrets.listAll(flags)) {
                table.row(s.uuid().toString(), s.usageType() == SecretUsageType.NONE ? "Unused"
                    : s.usageType().xmlName() + " " + s.usageId());
            }
            System.out.print(table.render());
        });
    }

    /** The value to set, as virsh reads it: a file (base64 unless plain), else the --base64 argument. */
    private static byte[] value(String file, boolean plain, String base64) {
        if (file.isEmpty() && base64.isEmpty()) {
            throw new ShellError("Input secret value is missing");
        }
        byte[] raw;
        if (!file.isEmpty()) {
            try {
                raw = Files.readAllBytes(Path.of(file));
            } catch (IOException e) {
                throw new ShellError("failed to read secret file " + file + ": " + Shell.reason(e));
            }
        } else {
            raw = base64.getBytes(StandardCharsets.US_ASCII);
        }
        if (plain) {
            return raw;
        }
        try {
            return Base64.getDecoder().decode(new String(raw, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new ShellError("Invalid base64 data");
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** Looks a secret up by UUID, as virsh does, and runs an action on it. */
    private void withSecret(CommandSession session, String key, String failure, SecretAction action) {
        Shell.run(session, null, () -> {
            SecretRef s = lookup(key);
            try {
                action.run(s);
            } catch (VirtException | ShellError e) {
                throw failure == null ? e : new ShellError(String.format(failure, s.uuid()), e.getMessage());
            }
        });
    }

    private SecretRef lookup(String key) {
        UUID uuid;
        try {
            uuid = UUID.fromString(key);
            if (key.length() != 36) {
                throw new IllegalArgumentException(key);
            }
        } catch (IllegalArgumentException e) {
            throw new ShellError("failed to get secret '" + key + "'",
                "uuidstr in virSecretLookupByUUIDString must be a valid UUID");
        }
        try {
            return secrets.lookupByUuid(uuid);
        } catch (VirtException e) {
            throw new ShellError("failed to get secret '" + key + "'", e.getMessage());
        }
    }

    private static String readFile(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ShellError("Failed to open file '" + file + "': " + Shell.reason(e));
        }
    }

    @FunctionalInterface
    interface SecretAction {
        void run(SecretRef secret);
    }
}
