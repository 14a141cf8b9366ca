package org.jvirtd.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainInfo;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's domain commands in the Gogo scope {@code virt}, with virsh's names, options and output.
 */
@Component(service = DomainCommands.class, immediate = true, property = {
    "osgi.command.scope=virt",
    "osgi.command.function=list", "osgi.command.function=define", "osgi.command.function=undefine",
    "osgi.command.function=start", "osgi.command.function=shutdown", "osgi.command.function=reboot",
    "osgi.command.function=destroy", "osgi.command.function=suspend", "osgi.command.function=resume",
    "osgi.command.function=dominfo", "osgi.command.function=domstate", "osgi.command.function=dumpxml",
    "osgi.command.function=autostart", "osgi.command.function=save", "osgi.command.function=restore",
    "osgi.command.function=managedsave", "osgi.command.function=managedsave_remove",
    "osgi.command.function=domid", "osgi.command.function=domuuid", "osgi.command.function=domname"})
public final class DomainCommands {
    private final ShellConnections connections;
    private final HyphenatedNames aliases;

    @Activate
    public DomainCommands(@Reference ShellConnections connections, BundleContext context) {
        this.connections = connections;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    @Descriptor("list domains (running ones, or all with --all)")
    public void list(CommandSession session,
                     @Descriptor("list inactive and active domains")
                     @Parameter(names = "--all", presentValue = "true", absentValue = "false") boolean all,
                     @Descriptor("list inactive domains only")
                     @Parameter(names = "--inactive", presentValue = "true", absentValue = "false") boolean inactive) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                int flags = all ? 0 : inactive ? DomainFlags.LIST_INACTIVE : DomainFlags.LIST_ACTIVE;
                Table table = new Table("Id", "Name", "State");
                c.listAllDomains(flags).stream()
                    .sorted((a, b) -> a.isActive() != b.isActive() ? (a.isActive() ? -1 : 1)
                        : a.isActive() ? Integer.compare(a.id(), b.id()) : a.name().compareTo(b.name()))
                    .forEach(d -> table.row(d.isActive() ? Integer.toString(d.id()) : "-", d.name(),
                        c.status(d).state().label()));
                System.out.print(table.render());
            }
        });
    }

    @Descriptor("define (but don't start) a domain from an XML file")
    public void define(CommandSession session, @Descriptor("file containing an XML domain description") String file) {
        Shell.run(session, "Failed to define domain from " + file, () -> {
            String xml = readFile(file);
            try (Connection c = connections.open(session)) {
                DomainRef d = c.define(xml, 0);
                System.out.println("Domain '" + d.name() + "' defined from " + file);
            }
        });
    }

    @Descriptor("undefine a domain")
    public void undefine(CommandSession session,
                         @Descriptor("remove the domain's managed save image too")
                         @Parameter(names = "--managed-save", presentValue = "true", absentValue = "false")
                         boolean managedSave,
                         @Descriptor("remove the state of an emulated TPM, whatever the definition says")
                         @Parameter(names = "--tpm", presentValue = "true", absentValue = "false") boolean tpm,
                         @Descriptor("keep the state of an emulated TPM")
                         @Parameter(names = "--keep-tpm", presentValue = "true", absentValue = "false") boolean keepTpm,
                         @Descriptor("domain name, id or uuid") String domain) {
        withDomain(session, domain, "Failed to undefine domain '%s'", (c, d) -> {
            c.undefine(d, (managedSave ? DomainFlags.UNDEFINE_MANAGED_SAVE : 0)
                | (tpm ? DomainFlags.UNDEFINE_TPM : 0) | (keepTpm ? DomainFlags.UNDEFINE_KEEP_TPM : 0));
            System.out.println("Domain '" + d.name() + "' has been undefined");
        });
    }

    @Descriptor("start a (previously defined) inactive domain")
    public void start(CommandSession session,
                      @Descriptor("leave the guest paused after it was created")
                      @Parameter(names = "--paused", presentValue = "true", absentValue = "false") boolean paused,
                      @Descriptor("ignore any managed save image and boot afresh")
                      @Parameter(names = "--force-boot", presentValue = "true", absentValue = "false")
                      boolean forceBoot,
                      @Descriptor("name of the inactive domain") String domain) {
        withDomain(session, domain, "Failed to start domain '%s'", (c, d) -> {
            if (c.isActive(d)) {
                throw new ShellError("Domain is already active");
            }
            c.create(d, (paused ? DomainFlags.START_PAUSED : 0) | (forceBoot ? DomainFlags.START_FORCE_BOOT : 0));
            System.out.println("Domain '" + d.name() + "' started");
        });
    }

    @Descriptor("gracefully shutdown a domain")
    public void shutdown(CommandSession session, @Descriptor("domain name, id or uuid") String domain) {
        withDomain(session, domain, "Failed to shutdown domain '%s'", (c, d) -> {
            c.shutdown(d, 0);
            System.out.println("Domain '" + d.name() + "' is being shutdown");
        });
    }

    @Descriptor("reboot a domain")
    public void reboot(CommandSession session, @Descriptor("domain name, id or uuid") String domain) {
        withDomain(session, domain, "Failed to reboot domain '%s'", (c, d) -> {
            c.reboot(d, 0);
            System.out.println("Domain '" + d.name() + "' is being rebooted");
        });
    }

    @Descriptor("destroy (stop) a domain at once")
    public void destroy(CommandSession session, @Descriptor("domain name, id or uuid") String domain) {
        withDomain(session, domain, "Failed to destroy domain '%s'", (c, d) -> {
            c.destroy(d, 0);
            System.out.println("Domain '" + d.name() + "' destroyed");
        });
    }

    @Descriptor("suspend a running domain")
    public void suspend(CommandSession session, @Descriptor("domain name, id or uuid") String domain) {
        withDomain(session, domain, "Failed to suspend domain '%s'", (c, d) -> {
            c.suspend(d);
            System.out.println("Domain '" + d.name() + "' suspended");
        });
    }

    @Descriptor("resume a previously suspended domain")
    public void resume(CommandSession session, @Descriptor("domain name, id or uuid") String domain) {
        withDomain(session, domain, "Failed to resume domain '%s'", (c, d) -> {
            c.resume(d);
            System.out.println("Domain '" + d.name() + "' resumed");
        });
    }

    @Descriptor("domain information")
    public void dominfo(CommandSession session, @Descriptor("domain name, id or uuid") String domain) {
        withDomain(session, domain, null, (c, d) -> {
            DomainInfo info = c.info(d);
            StringBuilder out = new StringBuilder();
            line(out, "Id:", d.isActive() ? Integer.toString(d.id()) : "-");
            line(out, "Name:", d.name());
            line(out, "UUID:", d.uuid().toString());
            line(out, "OS Type:", c.osType(d));
            line(out, "State:", info.state().label());
            line(out, "CPU(s):", Integer.toString(info.vcpus()));
            if (d.isActive()) {
                line(out, "CPU time:", String.format(Locale.ROOT, "%.1fs", info.cpuTimeNanos() / 1e9));
            }
            line(out, "Max memory:", info.maxMemoryKiB() + " KiB");
            line(out, "Used memory:", info.memoryKiB() + " KiB");
            line(out, "Persistent:", c.isPersistent(d) ? "yes" : "no");
            if (c.isPersistent(d)) {
                line(out, "Autostart:", c.autostart(d) ? "enable" : "disable");
            }
            line(out, "Managed save:", c.hasManagedSave(d) ? "yes" : "no");
            Connection.SecurityModel security = c.securityModel();
            if (!security.model().isEmpty()) {
                line(out, "Security model:", security.model());
                line(out, "Security DOI:", security.doi());
            }
            System.out.print(out);
        });
    }

    @Descriptor("domain state")
    public void domstate(CommandSession session,
                         @Descriptor("also print the reason for the state")
                         @Parameter(names = "--reason", presentValue = "true", absentValue = "false") boolean reason,
                         @Descriptor("domain name, id or uuid") String domain) {
        withDomain(session, domain, null, (c, d) -> {
            DomainStatus status = c.status(d);
            System.out.println(reason ? status.label() : status.state().label());
        });
    }

    @Descriptor("domain information in XML")
    public void dumpxml(CommandSession session,
                        @Descriptor("show inactive defined XML")
                        @Parameter(names = "--inactive", presentValue = "true", absentValue = "false") boolean inactive,
                        @Descriptor("include security sensitive information in XML dump")
                        @Parameter(names = "--security-info", presentValue = "true", absentValue = "false")
                        boolean secure,
                        @Descriptor("provide XML suitable for migrations")
                        @Parameter(names = "--migratable", presentValue = "true", absentValue = "false")
                        boolean migratable,
                        @Descriptor("domain name, id or uuid") String domain) {
        int flags = (inactive ? DomainFlags.XML_INACTIVE : 0) | (secure ? DomainFlags.XML_SECURE : 0)
            | (migratable ? DomainFlags.XML_MIGRATABLE : 0);
        withDomain(session, domain, null, (c, d) -> System.out.print(c.xml(d, flags)));
    }

    @Descriptor("autostart a domain (or stop autostarting it with --disable)")
    public void autostart(CommandSession session,
                          @Descriptor("disable autostarting")
                          @Parameter(names = "--disable", presentValue = "true", absentValue = "false") boolean disable,
                          @Descriptor("domain name, id or uuid") String domain) {
        String failure = disable ? "Failed to unmark domain '%s' as autostarted"
            : "Failed to mark domain '%s' as autostarted";
        withDomain(session, domain, failure, (c, d) -> {
            c.setAutostart(d, !disable);
            System.out.println("Domain '" + d.name() + "' " + (disable ? "unmarked" : "marked") + " as autostarted");
        });
    }

    @Descriptor("save a domain state to a file")
    public void save(CommandSession session,
                     @Descriptor("domain name, id or uuid") String domain,
                     @Descriptor("where to save the data") String file) {
        String path = absolute(file);
        withDomain(session, domain, "Failed to save domain '%s' to " + file, (c, d) -> {
            c.save(d, path, null, 0);
            System.out.println();
            System.out.println("Domain '" + d.name() + "' saved to " + file);
        });
    }

    @Descriptor("restore a domain from a saved state in a file")
    public void restore(CommandSession session, @Descriptor("the state to restore") String file) {
        Shell.run(session, "Failed to restore domain from " + file, () -> {
            try (Connection c = connections.open(session)) {
                c.restore(absolute(file), null, 0);
                System.out.println("Domain restored from " + file);
            }
        });
    }

    @Descriptor("managed save of a domain state")
    public void managedsave(CommandSession session, @Descriptor("domain name, id or uuid") String domain) {
        withDomain(session, domain, "Failed to save domain '%s' state", (c, d) -> {
            c.managedSave(d, 0);
            System.out.println();
            System.out.println("Domain '" + d.name() + "' state saved by libvirt");
        });
    }

    @Descriptor("remove managed save of a domain")
    public void managedsave_remove(CommandSession session, @Descriptor("domain name, id or uuid") String domain) {
        withDomain(session, domain, "Failed to remove managed save image for domain '%s'", (c, d) -> {
            if (!c.hasManagedSave(d)) {
                System.out.println("Domain '" + d.name() + "' has no manage save image; removal skipped");
                return;
            }
            c.managedSaveRemove(d);
            System.out.println("Removed managedsave image for domain '" + d.name() + "'");
        });
    }

    @Descriptor("convert a domain name or UUID to domain id")
    public void domid(CommandSession session, @Descriptor("domain name or uuid") String domain) {
        withDomain(session, domain, null, (c, d) -> System.out.println(d.isActive() ? Integer.toString(d.id()) : "-"));
    }

    @Descriptor("convert a domain name or id to domain UUID")
    public void domuuid(CommandSession session, @Descriptor("domain id or name") String domain) {
        withDomain(session, domain, null, (c, d) -> System.out.println(d.uuid()));
    }

    @Descriptor("convert a domain id or UUID to domain name")
    public void domname(CommandSession session, @Descriptor("domain id or uuid") String domain) {
        withDomain(session, domain, null, (c, d) -> System.out.println(d.name()));
    }

    /** Looks a domain up the way virsh does (id, then uuid, then name) and runs an action on it. */
    private void withDomain(CommandSession session, String domain, String failure, DomainAction action) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainRef d = lookup(c, domain);
                try {
                    action.run(c, d);
                } catch (VirtException | ShellError e) {
                    throw failure == null ? e : new ShellError(String.format(failure, d.name()), e.getMessage());
                }
            }
        });
    }

    static DomainRef lookup(Connection c, String key) {
        try {
            try {
                int id = Integer.parseInt(key);
                if (id >= 0) {
                    return c.lookupById(id);
                }
            } catch (NumberFormatException notAnId) {
                // fall through to uuid and name
            }
            if (key.length() == 36 || key.length() == 32) {
                try {
                    return c.lookupByUuid(UUID.fromString(key.length() == 36 ? key
                        : key.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5")));
                } catch (IllegalArgumentException | VirtException notAUuid) {
                    // fall through to name
                }
            }
            return c.lookupByName(key);
        } catch (VirtException e) {
            throw new ShellError("failed to get domain '" + key + "'");
        }
    }

    private static String readFile(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ShellError("Failed to open file '" + file + "': " + Shell.reason(e));
        }
    }

    private static String absolute(String file) {
        return Path.of(file).toAbsolutePath().toString();
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format("%-15s %s%n", label, value));
    }

    @FunctionalInterface
    interface DomainAction {
        void run(Connection connection, DomainRef domain);
    }
}
