package org.jvirtd.shell;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.connect.DomainSnapshots;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.snapshot.SnapshotFlags;
import org.jvirtd.api.snapshot.SnapshotRef;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's snapshot commands in the Gogo scope {@code virt} ({@code snapshot_list} is also {@code snapshot-list}, see
 * {@link HyphenatedNames}): create, list (table, --parent, --tree, --roots,
 * --leaves, --name), info, dumpxml, parent, current, revert and delete, with virsh's options and messages.
 */
@Component(service = SnapshotCommands.class, immediate = true, property = {"osgi.command.scope=virt",
    "osgi.command.function=snapshot_create_as",
    "osgi.command.function=snapshot_list",
    "osgi.command.function=snapshot_info",
    "osgi.command.function=snapshot_dumpxml",
    "osgi.command.function=snapshot_parent",
    "osgi.command.function=snapshot_current",
    "osgi.command.function=snapshot_revert",
    "osgi.command.function=snapshot_delete"})
public final class SnapshotCommands {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z");

    private final ShellConnections connections;
    private final HyphenatedNames aliases;

    @Activate
    public SnapshotCommands(@Reference ShellConnections connections, BundleContext context) {
        this.connections = connections;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    @Descriptor("Create a snapshot from a set of args")
    public void snapshot_create_as(CommandSession session,
            @Descriptor("description of snapshot") @Parameter(names = "--description", absentValue = "")
            String description,
            @Descriptor("disk-only snapshot") @Parameter(names = "--disk-only", presentValue = "true",
                absentValue = "false") boolean diskOnly,
            @Descriptor("take snapshot but create no metadata") @Parameter(names = "--no-metadata",
                presentValue = "true", absentValue = "false") boolean noMetadata,
            @Descriptor("halt domain after snapshot is created") @Parameter(names = "--halt", presentValue = "true",
                absentValue = "false") boolean halt,
            @Descriptor("reuse any existing external files") @Parameter(names = "--reuse-external",
                presentValue = "true", absentValue = "false") boolean reuse,
            @Descriptor("require atomic operation") @Parameter(names = "--atomic", presentValue = "true",
                absentValue = "false") boolean atomic,
            @Descriptor("quiesce guest's file systems") @Parameter(names = "--quiesce", presentValue = "true",
                absentValue = "false") boolean quiesce,
            @Descriptor("take a live snapshot") @Parameter(names = "--live", presentValue = "true",
                absentValue = "false") boolean live,
            @Descriptor("memory attributes: [file=]name[,snapshot=type]") @Parameter(names = "--memspec",
                absentValue = "") String memspec,
            @Descriptor("domain name, id or uuid") String domain,
            @Descriptor("name of snapshot") String name) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                String xml = "<domainsnapshot>\n  <name>" + escape(name) + "</name>\n"
                    + (description.isEmpty() ? "" : "  <description>" + escape(description) + "</description>\n")
                    + memoryElement(memspec) + "</domainsnapshot>\n";
                int flags = (diskOnly ? SnapshotFlags.Create.DISK_ONLY : 0)
                    | (noMetadata ? SnapshotFlags.Create.NO_METADATA : 0) | (halt ? SnapshotFlags.Create.HALT : 0)
                    | (reuse ? SnapshotFlags.Create.REUSE_EXT : 0) | (atomic ? SnapshotFlags.Create.ATOMIC : 0)
                    | (quiesce ? SnapshotFlags.Create.QUIESCE : 0) | (live ? SnapshotFlags.Create.LIVE : 0);
                SnapshotRef s = c.snapshots().create(d, xml, flags);
                System.out.println("Domain snapshot " + s.name() + " created");
            }
        });
    }

    /** virsh's --memspec ({@code [file=]name[,snapshot=type]}) as the snapshot's memory element. */
    static String memoryElement(String memspec) {
        if (memspec.isEmpty()) {
            return "";
        }
        String file = null;
        String snapshot = null;
        for (String part : memspec.split(",")) {
            if (part.startsWith("snapshot=")) {
                snapshot = part.substring("snapshot=".length());
            } else {
                file = part.startsWith("file=") ? part.substring("file=".length()) : part;
            }
        }
        return "  <memory" + (snapshot == null ? "" : " snapshot='" + escape(snapshot) + "'")
            + (file == null || file.isEmpty() ? "" : " file='" + escape(file).replace("'", "&apos;") + "'") + "/>\n";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Descriptor("List snapshots for a domain")
    public void snapshot_list(CommandSession session,
            @Descriptor("add a column showing parent snapshot") @Parameter(names = "--parent", presentValue = "true",
                absentValue = "false") boolean parent,
            @Descriptor("list only snapshots without parents") @Parameter(names = "--roots", presentValue = "true",
                absentValue = "false") boolean roots,
            @Descriptor("list only snapshots without children") @Parameter(names = "--leaves",
                presentValue = "true", absentValue = "false") boolean leaves,
            @Descriptor("list snapshot names only") @Parameter(names = "--name", presentValue = "true",
                absentValue = "false") boolean namesOnly,
            @Descriptor("list snapshots in a tree") @Parameter(names = "--tree", presentValue = "true",
                absentValue = "false") boolean tree,
            @Descriptor("sort list topologically rather than by name") @Parameter(names = "--topological",
                presentValue = "true", absentValue = "false") boolean topological,
            @Descriptor("domain name, id or uuid") String domain) {
        Shell.run(session, null, () -> {
            if (tree && namesOnly) {
                throw new ShellError("Options --tree and --name are mutually exclusive");
            }
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                DomainSnapshots snapshots = c.snapshots();
                int flags = (roots ? SnapshotFlags.List.ROOTS : 0) | (leaves ? SnapshotFlags.List.LEAVES : 0)
                    | (topological || tree ? SnapshotFlags.List.TOPOLOGICAL : 0);
                List<SnapshotRef> list = new ArrayList<>(snapshots.listAll(d, flags));
                if (!topological && !tree) {
                    list.sort(Comparator.comparing(SnapshotRef::name));
                }
                Map<String, Facts> facts = list.stream()
                    .collect(Collectors.toMap(SnapshotRef::name, s -> Facts.of(snapshots.xml(s, 0))));
                if (tree) {
                    System.out.print(tree(list, facts));
                    System.out.println();
                } else if (namesOnly) {
                    list.forEach(s -> System.out.println(s.name()));
                    System.out.println();
                } else {
                    Table table = parent ? new Table("Name", "Creation Time", "State", "Parent")
                        : new Table("Name", "Creation Time", "State");
                    for (SnapshotRef s : list) {
                        Facts f = facts.get(s.name());
                        String time = TIME.format(Instant.ofEpochSecond(f.created()).atZone(ZoneId.systemDefault()));
                        if (parent) {
                            table.row(s.name(), time, f.state(), f.parent() == null ? "" : f.parent());
                        } else {
                            table.row(s.name(), time, f.state());
                        }
                    }
                    System.out.println(table.render());
                }
            }
        });
    }

    /** virsh's tree: each root, then its children indented under "|" and "+- " marks. */
    static String tree(List<SnapshotRef> list, Map<String, Facts> facts) {
        StringBuilder out = new StringBuilder();
        List<String> names = list.stream().map(SnapshotRef::name).toList();
        Function<String, List<String>> children = n -> names.stream()
            .filter(c -> n.equals(facts.get(c).parent())).toList();
        for (String name : names) {
            String p = facts.get(name).parent();
            if (p == null || !names.contains(p)) {
                branch(out, name, true, true, new StringBuilder(), children);
            }
        }
        return out.toString();
    }

    private static void branch(StringBuilder out, String name, boolean last, boolean root, StringBuilder indent,
                               Function<String, List<String>> children) {
        out.append(indent).append(root ? "" : "+- ").append(name).append('\n');
        if (!root) {
            indent.append(last ? ' ' : '|').append(' ');
        }
        List<String> kids = children.apply(name);
        if (!kids.isEmpty()) {
            out.append(indent).append("  |\n");
        }
        indent.append("  ");
        for (int i = 0; i < kids.size(); i++) {
            branch(out, kids.get(i), i == kids.size() - 1, false, indent, children);
        }
        indent.setLength(indent.length() - 2);
        if (kids.isEmpty() && last) {
            out.append(indent).append('\n');
        }
        if (!root) {
            indent.setLength(indent.length() - 2);
        }
    }

    @Descriptor("snapshot information")
    public void snapshot_info(CommandSession session, @Descriptor("domain name, id or uuid") String domain,
                              @Descriptor("snapshot name") String name) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainSnapshots snapshots = c.snapshots();
                SnapshotRef s = snapshots.lookupByName(DomainCommands.lookup(c, domain), name, 0);
                Facts f = Facts.of(snapshots.xml(s, 0));
                String location = f.xml().contains("snapshot='external'") ? "external"
                    : f.xml().contains("snapshot='internal'") ? "internal" : "-";
                line("Name:", s.name());
                line("Domain:", s.domain().name());
                line("Current:", snapshots.isCurrent(s, 0) ? "yes" : "no");
                line("State:", f.state());
                line("Location:", location);
                line("Parent:", f.parent() == null ? "-" : f.parent());
                line("Children:", Integer.toString(snapshots.listChildren(s, 0).size()));
                line("Descendants:", Integer.toString(snapshots.listChildren(s, SnapshotFlags.List.DESCENDANTS).size()));
                line("Metadata:", snapshots.hasMetadata(s, 0) ? "yes" : "no");
                System.out.println();
            }
        });
    }

    private static void line(String label, String value) {
        System.out.println(String.format("%-15s %s", label, value));
    }

    @Descriptor("Dump XML for a domain snapshot")
    public void snapshot_dumpxml(CommandSession session, @Descriptor("domain name, id or uuid") String domain,
                                 @Descriptor("snapshot name") String name) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainSnapshots snapshots = c.snapshots();
                System.out.print(snapshots.xml(snapshots.lookupByName(DomainCommands.lookup(c, domain), name, 0), 0));
            }
        });
    }

    @Descriptor("Get the name of the parent of a snapshot")
    public void snapshot_parent(CommandSession session, @Descriptor("domain name, id or uuid") String domain,
                                @Descriptor("find parent of snapshot name") String name) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainSnapshots snapshots = c.snapshots();
                SnapshotRef s = snapshots.lookupByName(DomainCommands.lookup(c, domain), name, 0);
                String parent = Facts.of(snapshots.xml(s, 0)).parent();
                if (parent == null) {
                    throw new ShellError("snapshot '" + name + "' has no parent");
                }
                System.out.println(parent);
            }
        });
    }

    @Descriptor("Get the current snapshot")
    public void snapshot_current(CommandSession session,
            @Descriptor("list the name, rather than the full xml") @Parameter(names = "--name", presentValue = "true",
                absentValue = "false") boolean nameOnly,
            @Descriptor("domain name, id or uuid") String domain) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                DomainSnapshots snapshots = c.snapshots();
                Optional<SnapshotRef> current = Optional.empty();
                try {
                    current = Optional.of(snapshots.current(d, 0));
                } catch (VirtException e) {
                    if (e.code() != ErrorCode.NO_DOMAIN_SNAPSHOT) {
                        throw e;
                    }
                }
                if (current.isEmpty()) {
                    System.out.println("domain '" + d.name() + "' has no current snapshot");
                } else if (nameOnly) {
                    System.out.println(current.get().name());
                } else {
                    System.out.print(snapshots.xml(current.get(), 0));
                }
            }
        });
    }

    @Descriptor("Revert a domain to a snapshot")
    public void snapshot_revert(CommandSession session,
            @Descriptor("after reverting, change state to running") @Parameter(names = "--running",
                presentValue = "true", absentValue = "false") boolean running,
            @Descriptor("after reverting, change state to paused") @Parameter(names = "--paused",
                presentValue = "true", absentValue = "false") boolean paused,
            @Descriptor("try harder on risky reverts") @Parameter(names = "--force", presentValue = "true",
                absentValue = "false") boolean force,
            @Descriptor("domain name, id or uuid") String domain,
            @Descriptor("snapshot name") String name) {
        Shell.run(session, "Failed to revert snapshot " + name, () -> {
            try (Connection c = connections.open(session)) {
                DomainSnapshots snapshots = c.snapshots();
                SnapshotRef s = snapshots.lookupByName(DomainCommands.lookup(c, domain), name, 0);
                snapshots.revert(s, (running ? SnapshotFlags.Revert.RUNNING : 0)
                    | (paused ? SnapshotFlags.Revert.PAUSED : 0) | (force ? SnapshotFlags.Revert.FORCE : 0));
                System.out.println("Domain snapshot " + name + " reverted");
            }
        });
    }

    @Descriptor("Delete a domain snapshot")
    public void snapshot_delete(CommandSession session,
            @Descriptor("delete snapshot and all children") @Parameter(names = "--children", presentValue = "true",
                absentValue = "false") boolean children,
            @Descriptor("delete children but not snapshot") @Parameter(names = "--children-only",
                presentValue = "true", absentValue = "false") boolean childrenOnly,
            @Descriptor("delete only libvirt metadata, leaving snapshot contents behind")
            @Parameter(names = "--metadata", presentValue = "true", absentValue = "false") boolean metadata,
            @Descriptor("domain name, id or uuid") String domain,
            @Descriptor("snapshot name") String name) {
        Shell.run(session, "Failed to delete snapshot " + name, () -> {
            try (Connection c = connections.open(session)) {
                DomainSnapshots snapshots = c.snapshots();
                SnapshotRef s = snapshots.lookupByName(DomainCommands.lookup(c, domain), name, 0);
                snapshots.delete(s, (children ? SnapshotFlags.Delete.CHILDREN : 0)
                    | (childrenOnly ? SnapshotFlags.Delete.CHILDREN_ONLY : 0)
                    | (metadata ? SnapshotFlags.Delete.METADATA_ONLY : 0));
                System.out.println(childrenOnly ? "Domain snapshot " + name + " children deleted"
                    : "Domain snapshot " + name + " deleted");
            }
        });
    }

    /** What the lists show of a snapshot, read from its XML as virsh reads it. */
    record Facts(String xml, String state, String parent, long created) {
        static Facts of(String xml) {
            String state = between(xml, "<state>", "</state>");
            int parentAt = xml.indexOf("<parent>");
            String parent = parentAt < 0 ? null : between(xml.substring(parentAt), "<name>", "</name>");
            String created = between(xml, "<creationTime>", "</creationTime>");
            return new Facts(xml, state, parent, created == null ? 0 : Long.parseLong(created));
        }

        private static String between(String text, String open, String close) {
            int start = text.indexOf(open);
            if (start < 0) {
                return null;
            }
            int end = text.indexOf(close, start);
            return text.substring(start + open.length(), end);
        }
    }
}
