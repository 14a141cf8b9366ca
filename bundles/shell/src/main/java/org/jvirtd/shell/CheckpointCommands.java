package org.jvirtd.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.connect.DomainBackups;
import org.jvirtd.api.domain.CheckpointRef;
import org.jvirtd.api.domain.DomainJobStats;
import org.jvirtd.api.domain.DomainRef;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's checkpoint, backup and domain job commands in the Gogo scope {@code virt}: checkpoint-create-as,
 * checkpoint-list, checkpoint-dumpxml, checkpoint-parent, checkpoint-delete, backup-begin, backup-dumpxml,
 * domjobinfo and domjobabort, with virsh's options and messages.
 */
@Component(service = CheckpointCommands.class, immediate = true, property = {"osgi.command.scope=virt",
    "osgi.command.function=checkpoint_create_as", "osgi.command.function=checkpoint_list",
    "osgi.command.function=checkpoint_dumpxml", "osgi.command.function=checkpoint_parent",
    "osgi.command.function=checkpoint_delete", "osgi.command.function=backup_begin",
    "osgi.command.function=backup_dumpxml", "osgi.command.function=domjobinfo",
    "osgi.command.function=domjobabort"})
public final class CheckpointCommands {
    private static final String[] JOB_TYPES = {"None", "Bounded", "Unbounded", "Completed", "Failed", "Cancelled"};

    private final ShellConnections connections;
    private final HyphenatedNames aliases;

    @Activate
    public CheckpointCommands(@Reference ShellConnections connections, BundleContext context) {
        this.connections = connections;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    @Descriptor("Create a checkpoint from a set of args")
    public void checkpoint_create_as(CommandSession session,
                                   @Descriptor("description of checkpoint")
                                   @Parameter(names = "--description", absentValue = "") String description,
                                   @Descriptor("domain name, id or uuid, then the name of the checkpoint")
                                   String... args) {
        Shell.run(session, null, () -> {
            if (args.length == 0) {
                throw new ShellError("command 'checkpoint-create-as' requires <domain> option");
            }
            StringBuilder xml = new StringBuilder("<domaincheckpoint>");
            if (args.length > 1) {
                xml.append("<name>").append(escape(args[1])).append("</name>");
            }
            if (!description.isEmpty()) {
                xml.append("<description>").append(escape(description)).append("</description>");
            }
            xml.append("</domaincheckpoint>");
            try (Connection c = connections.open(session)) {
                CheckpointRef cp = c.backups().createCheckpoint(DomainCommands.lookup(c, args[0]), xml.toString(), 0);
                session.getConsole().println("Domain checkpoint " + cp.name() + " created");
            }
        });
    }

    @Descriptor("List checkpoints for a domain")
    public void checkpoint_list(CommandSession session,
                               @Descriptor("add a column showing parent checkpoint")
                               @Parameter(names = "--parent", presentValue = "true", absentValue = "false")
                               boolean parent,
                               @Descriptor("list only checkpoints without parents")
                               @Parameter(names = "--roots", presentValue = "true", absentValue = "false")
                               boolean roots,
                               @Descriptor("list only checkpoints without children")
                               @Parameter(names = "--leaves", presentValue = "true", absentValue = "false")
                               boolean leaves,
                               @Descriptor("list only the name")
                               @Parameter(names = "--name", presentValue = "true", absentValue = "false") boolean name,
                               @Descriptor("domain name, id or uuid") String domain) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainBackups b = c.backups();
                DomainRef d = DomainCommands.lookup(c, domain);
                List<CheckpointRef> list = b.listCheckpoints(d, (roots ? 1 : 0) | (leaves ? 4 : 0));
                PrintStream out = session.getConsole();
                if (name) {
                    list.forEach(cp -> out.println(cp.name()));
                    return;
                }
                Table table = parent ? new Table("Name", "Creation Time", "Parent")
                    : new Table("Name", "Creation Time");
                for (CheckpointRef cp : list) {
                    String created = created(b.checkpointXml(cp, 2));
                    if (parent) {
                        String p;
                        try {
                            p = b.checkpointParent(cp, 0).name();
                        } catch (VirtException e) {
                            p = "";
                        }
                        table.row(cp.name(), created, p);
                    } else {
                        table.row(cp.name(), created);
                    }
                }
                out.print(table.render());
            }
        });
    }

    /** The creation time of a checkpoint's XML as virsh prints it ("2026-12-03 13:06:23 +0000"). */
    private static String created(String xml) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<creationTime>(\\d+)</creationTime>").matcher(xml);
        if (!m.find()) {
            return "";
        }
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z")
            .format(java.time.Instant.ofEpochSecond(Long.parseLong(m.group(1))).atZone(java.time.ZoneId.systemDefault()));
    }

    @Descriptor("Dump XML for a domain checkpoint")
    public void checkpoint_dumpxml(CommandSession session,
                                  @Descriptor("exclude <domain> from XML")
                                  @Parameter(names = "--no-domain", presentValue = "true", absentValue = "false")
                                  boolean noDomain,
                                  @Descriptor("domain name, id or uuid") String domain,
                                  @Descriptor("checkpoint name") String checkpoint) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainBackups b = c.backups();
                session.getConsole().print(b.checkpointXml(b.lookupCheckpoint(DomainCommands.lookup(c, domain),
                    checkpoint, 0), noDomain ? 2 : 0));
            }
        });
    }

    @Descriptor("Get the name of the parent of a checkpoint")
    public void checkpoint_parent(CommandSession session, @Descriptor("domain name, id or uuid") String domain,
                                 @Descriptor("find parent of checkpoint name") String checkpoint) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainBackups b = c.backups();
                session.getConsole().println(b.checkpointParent(b.lookupCheckpoint(DomainCommands.lookup(c, domain),
                    checkpoint, 0), 0).name());
            }
        });
    }

    @Descriptor("Delete a domain checkpoint")
    public void checkpoint_delete(CommandSession session,
                                 @Descriptor("delete checkpoint and all children")
                                 @Parameter(names = "--children", presentValue = "true", absentValue = "false")
                                 boolean children,
                                 @Descriptor("delete children but not checkpoint")
                                 @Parameter(names = "--children-only", presentValue = "true", absentValue = "false")
                                 boolean childrenOnly,
                                 @Descriptor("delete only libvirt metadata, leaving bitmaps in the images")
                                 @Parameter(names = "--metadata", presentValue = "true", absentValue = "false")
                                 boolean metadata,
                                 @Descriptor("domain name, id or uuid") String domain,
                                 @Descriptor("checkpoint name") String checkpoint) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainBackups b = c.backups();
                b.deleteCheckpoint(b.lookupCheckpoint(DomainCommands.lookup(c, domain), checkpoint, 0),
                    (children ? 1 : 0) | (metadata ? 2 : 0) | (childrenOnly ? 4 : 0));
                session.getConsole().println(childrenOnly ? "Domain checkpoint " + checkpoint + " children deleted"
                    : "Domain checkpoint " + checkpoint + " deleted");
            }
        });
    }

    @Descriptor("Start a disk backup of a live domain")
    public void backup_begin(CommandSession session,
                            @Descriptor("reuse files provided by caller")
                            @Parameter(names = "--reuse-external", presentValue = "true", absentValue = "false")
                            boolean reuse,
                            @Descriptor("domain name, id or uuid, then the backup XML file and the checkpoint XML file")
                            String... args) {
        Shell.run(session, null, () -> {
            if (args.length == 0) {
                throw new ShellError("command 'backup-begin' requires <domain> option");
            }
            String backupXml = args.length > 1 ? read(args[1]) : "<domainbackup/>";
            String checkpointXml = args.length > 2 ? read(args[2]) : null;
            try (Connection c = connections.open(session)) {
                c.backups().backupBegin(DomainCommands.lookup(c, args[0]), backupXml, checkpointXml, reuse ? 1 : 0);
                session.getConsole().println("Backup started");
            }
        });
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new ShellError("Failed to open file '" + file + "': " + Shell.reason(e));
        }
    }

    @Descriptor("Dump XML for an ongoing domain block backup job")
    public void backup_dumpxml(CommandSession session, @Descriptor("domain name, id or uuid") String domain) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                session.getConsole().print(c.backups().backupXml(DomainCommands.lookup(c, domain), 0));
            }
        });
    }

    @Descriptor("domain job information")
    public void domjobinfo(CommandSession session,
                           @Descriptor("return statistics of a recently completed job")
                           @Parameter(names = "--completed", presentValue = "true", absentValue = "false")
                           boolean completed,
                           @Descriptor("domain name, id or uuid") String domain) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainJobStats stats = c.backups().jobStats(DomainCommands.lookup(c, domain),
                    completed ? DomainJobStats.STATS_COMPLETED | DomainJobStats.STATS_KEEP_COMPLETED : 0);
                PrintStream out = session.getConsole();
                out.println(String.format(Locale.ROOT, "%-17s %-12s", "Job type:",
                    stats.type() >= 0 && stats.type() < JOB_TYPES.length ? JOB_TYPES[stats.type()] : "Unknown"));
                if (stats.type() == DomainJobStats.NONE) {
                    return;
                }
                if (Integer.valueOf(DomainJobStats.OPERATION_BACKUP).equals(stats.value("operation"))) {
                    out.println(String.format(Locale.ROOT, "%-17s %-12s", "Operation:", "Backup"));
                }
                out.println(String.format(Locale.ROOT, "%-17s %-12d ms", "Time elapsed:", number(stats, "time_elapsed")));
                out.println(String.format(Locale.ROOT, "%-17s %s", "File processed:", size(number(stats, "disk_processed"))));
                out.println(String.format(Locale.ROOT, "%-17s %s", "File remaining:", size(number(stats, "disk_remaining"))));
                out.println(String.format(Locale.ROOT, "%-17s %s", "File total:", size(number(stats, "disk_total"))));
            }
        });
    }

    @Descriptor("abort active domain job")
    public void domjobabort(CommandSession session, @Descriptor("domain name, id or uuid") String domain) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                c.backups().abortJob(DomainCommands.lookup(c, domain), 0);
            }
        });
    }

    private static long number(DomainJobStats stats, String field) {
        Object value = stats.value(field);
        return value instanceof Number n ? n.longValue() : 0;
    }

    /** virsh's "%.3lf %s" of a byte count in its largest binary unit. */
    private static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.3f %s", value, units[unit]);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;");
    }
}
