package org.jvirtd.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainRef;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's guest agent commands in the Gogo scope {@code virt}: domhostname, domtime, guestinfo, guestvcpus,
 * setguestvcpus, domfsfreeze, domfsthaw, domfstrim, domfsinfo, set-user-password, get-user-sshkeys,
 * set-user-sshkeys and qemu-agent-command,
 * printing what virsh prints.
 */
@Component(service = AgentCommands.class, immediate = true, property = {"osgi.command.scope=virt",
    "osgi.command.function=domhostname", "osgi.command.function=domtime", "osgi.command.function=guestinfo",
    "osgi.command.function=guestvcpus", "osgi.command.function=setguestvcpus",
    "osgi.command.function=domfsfreeze", "osgi.command.function=domfsthaw", "osgi.command.function=domfstrim",
    "osgi.command.function=domfsinfo", "osgi.command.function=set_user_password",
    "osgi.command.function=get_user_sshkeys", "osgi.command.function=set_user_sshkeys",
    "osgi.command.function=qemu_agent_command"})
public final class AgentCommands {
    private static final DateTimeFormatter PRETTY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ShellConnections connections;
    private final HyphenatedNames aliases;

    @Activate
    public AgentCommands(@Reference ShellConnections connections, BundleContext context) {
        this.connections = connections;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    /** Runs {@code body} on the looked-up domain of a fresh connection. */
    private void onDomain(CommandSession session, String failure, String domain, DomainAction body) {
        Shell.run(session, failure, () -> {
            try (Connection c = connections.open(session)) {
                body.run(c, DomainCommands.lookup(c, domain));
            }
        });
    }

    @FunctionalInterface
    private interface DomainAction {
        void run(Connection c, DomainRef d);
    }

    @Descriptor("print the domain's hostname")
    public void domhostname(CommandSession session,
                            @Descriptor("address source: 'lease' or 'agent'") @Parameter(names = "--source",
                                absentValue = "") String source,
                            @Descriptor("domain name, id or uuid") String domain) {
        int flags = switch (source) {
            case "lease" -> 1;
            case "agent" -> 2;
            default -> 0;
        };
        onDomain(session, "failed to get hostname", domain, (c, d) -> System.out.println(c.hostname(d, flags)));
    }

    @Descriptor("domain time")
    public void domtime(CommandSession session,
                        @Descriptor("print domain's time in human readable form") @Parameter(names = "--pretty",
                            presentValue = "true", absentValue = "false") boolean pretty,
                        @Descriptor("set to the time of the host running virsh") @Parameter(names = "--now",
                            presentValue = "true", absentValue = "false") boolean now,
                        @Descriptor("instead of setting given time, synchronize from domain's RTC")
                        @Parameter(names = "--sync", presentValue = "true", absentValue = "false") boolean sync,
                        @Descriptor("time to set") @Parameter(names = "--time", absentValue = "-1") long time,
                        @Descriptor("domain name, id or uuid") String domain) {
        onDomain(session, null, domain, (c, d) -> {
            if (sync) {
                c.setGuestTime(d, 0, 0, 1);
            } else if (now || time >= 0) {
                long seconds = now ? Instant.now().getEpochSecond() : time;
                c.setGuestTime(d, seconds, 0, 0);
            } else {
                long seconds = c.guestTime(d, 0)[0];
                System.out.println("Time: " + (pretty
                    ? PRETTY.format(Instant.ofEpochSecond(seconds).atZone(ZoneId.systemDefault())) : seconds));
            }
        });
    }

    @Descriptor("query information about the guest (via agent)")
    public void guestinfo(CommandSession session,
                          @Descriptor("report active users") @Parameter(names = "--user", presentValue = "true",
                              absentValue = "false") boolean user,
                          @Descriptor("report operating system information") @Parameter(names = "--os",
                              presentValue = "true", absentValue = "false") boolean os,
                          @Descriptor("report timezone information") @Parameter(names = "--timezone",
                              presentValue = "true", absentValue = "false") boolean timezone,
                          @Descriptor("report hostname") @Parameter(names = "--hostname", presentValue = "true",
                              absentValue = "false") boolean hostname,
                          @Descriptor("report filesystem information") @Parameter(names = "--filesystem",
                              presentValue = "true", absentValue = "false") boolean filesystem,
                          @Descriptor("report disk information") @Parameter(names = "--disk", presentValue = "true",
                              absentValue = "false") boolean disk,
                          @Descriptor("report interface information") @Parameter(names = "--interface",
                              presentValue = "true", absentValue = "false") boolean iface,
                          @Descriptor("domain name, id or uuid") String domain) {
        int types = (user ? 1 : 0) | (os ? 2 : 0) | (timezone ? 4 : 0) | (hostname ? 8 : 0) | (filesystem ? 16 : 0)
            | (disk ? 32 : 0) | (iface ? 64 : 0);
        onDomain(session, null, domain, (c, d) -> {
            printParams(c.guestInfo(d, types, 0), 20);
            System.out.println();
        });
    }

    @Descriptor("query or modify state of vcpu in the guest (via agent)")
    public void guestvcpus(CommandSession session,
                           @Descriptor("list of cpus to enable or disable") @Parameter(names = "--cpulist",
                               absentValue = "") String cpulist,
                           @Descriptor("enable cpus specified by cpulist") @Parameter(names = "--enable",
                               presentValue = "true", absentValue = "false") boolean enable,
                           @Descriptor("disable cpus specified by cpulist") @Parameter(names = "--disable",
                               presentValue = "true", absentValue = "false") boolean disable,
                           @Descriptor("domain name, id or uuid") String domain) {
        onDomain(session, null, domain, (c, d) -> {
            if (enable || disable) {
                if (cpulist.isEmpty()) {
                    throw new ShellError("Option --enable requires option --cpulist");
                }
                c.setGuestVcpus(d, cpulist, enable ? 1 : 0, 0);
                return;
            }
            printParams(c.guestVcpus(d, 0), 15);
            System.out.println();
        });
    }

    @Descriptor("attach/detach vcpu or groups of threads")
    public void setguestvcpus(CommandSession session,
                              @Descriptor("enable cpus") @Parameter(names = "--enable", presentValue = "true",
                                  absentValue = "false") boolean enable,
                              @Descriptor("disable cpus") @Parameter(names = "--disable", presentValue = "true",
                                  absentValue = "false") boolean disable,
                              @Descriptor("domain name, id or uuid") String domain,
                              @Descriptor("ids of vcpus to manipulate") String cpulist) {
        onDomain(session, null, domain, (c, d) -> c.setGuestVcpus(d, cpulist, disable ? 0 : 1, 0));
    }

    @Descriptor("Freeze domain's mounted filesystems.")
    public void domfsfreeze(CommandSession session,
                            @Descriptor("mountpoint to be frozen") @Parameter(names = "--mountpoint",
                                absentValue = "") String mountpoint,
                            @Descriptor("domain name, id or uuid") String domain) {
        onDomain(session, "Unable to freeze filesystems", domain, (c, d) -> System.out.println(
            "Froze " + c.fsFreeze(d, mountpoint.isEmpty() ? List.of() : List.of(mountpoint), 0) + " filesystem(s)"));
    }

    @Descriptor("Thaw domain's mounted filesystems.")
    public void domfsthaw(CommandSession session,
                          @Descriptor("mountpoint to be thawed") @Parameter(names = "--mountpoint",
                              absentValue = "") String mountpoint,
                          @Descriptor("domain name, id or uuid") String domain) {
        onDomain(session, "Unable to thaw filesystems", domain, (c, d) -> System.out.println(
            "Thawed " + c.fsThaw(d, mountpoint.isEmpty() ? List.of() : List.of(mountpoint), 0) + " filesystem(s)"));
    }

    @Descriptor("Invoke fstrim on domain's mounted filesystems.")
    public void domfstrim(CommandSession session,
                          @Descriptor("Just a hint to ignore contiguous free ranges smaller than this (Bytes)")
                          @Parameter(names = "--minimum", absentValue = "0") long minimum,
                          @Descriptor("which mount point to trim") @Parameter(names = "--mountpoint",
                              absentValue = "") String mountpoint,
                          @Descriptor("domain name, id or uuid") String domain) {
        onDomain(session, "Unable to invoke fstrim", domain,
            (c, d) -> c.fsTrim(d, mountpoint.isEmpty() ? null : mountpoint, minimum, 0));
    }

    @Descriptor("Get information of domain's mounted filesystems.")
    public void domfsinfo(CommandSession session, @Descriptor("domain name, id or uuid") String domain) {
        onDomain(session, "Unable to get filesystem information", domain, (c, d) -> {
            List<Connection.FsInfo> infos = c.fsInfo(d, 0);
            if (infos.isEmpty()) {
                System.out.println("No filesystems are mounted in the domain");
                return;
            }
            Table table = new Table("Mountpoint", "Name", "Type", "Target");
            for (Connection.FsInfo info : infos) {
                table.row(info.mountpoint(), info.name(), info.fstype(), String.join(",", info.devAliases()));
            }
            System.out.print(table.render());
        });
    }

    @Descriptor("set the user password inside the domain")
    public void set_user_password(CommandSession session,
                                  @Descriptor("the password is already encrypted") @Parameter(names = "--encrypted",
                                      presentValue = "true", absentValue = "false") boolean encrypted,
                                  @Descriptor("domain name, id or uuid") String domain,
                                  @Descriptor("the username") String user,
                                  @Descriptor("the new password") String password) {
        onDomain(session, null, domain, (c, d) -> {
            c.setUserPassword(d, user, password, encrypted ? 1 : 0);
            System.out.println("Password set successfully for " + user + " in " + domain);
        });
    }

    @Descriptor("list authorized SSH keys for given user (via agent)")
    public void get_user_sshkeys(CommandSession session,
                                 @Descriptor("domain name, id or uuid") String domain,
                                 @Descriptor("user to list authorized keys for") String user) {
        onDomain(session, null, domain, (c, d) -> {
            for (String key : c.authorizedSshKeys(d, user, 0)) {
                System.out.println(key);
            }
        });
    }

    @Descriptor("manipulate authorized SSH keys file for given user (via agent)")
    public void set_user_sshkeys(CommandSession session,
                                 @Descriptor("optional file to read keys from") @Parameter(names = "--file",
                                     absentValue = "") String file,
                                 @Descriptor("clear out authorized keys file before adding new keys")
                                 @Parameter(names = "--reset", presentValue = "true", absentValue = "false")
                                 boolean reset,
                                 @Descriptor("remove keys from the authorized keys file") @Parameter(names = "--remove",
                                     presentValue = "true", absentValue = "false") boolean remove,
                                 @Descriptor("domain name, id or uuid") String domain,
                                 @Descriptor("user to set authorized keys for") String user) {
        onDomain(session, null, domain, (c, d) -> {
            if (reset && remove) {
                throw new ShellError("Options --reset and --remove are mutually exclusive");
            }
            // virsh's flags: --remove removes, --reset replaces, neither appends (and then needs --file)
            int flags = remove ? 2 : reset ? 0 : 1;
            if (flags == 1 && file.isEmpty()) {
                throw new ShellError("Option --file is required");
            }
            c.setAuthorizedSshKeys(d, user, file.isEmpty() ? List.of() : keysIn(file), flags);
        });
    }

    /** The non-empty lines of a keys file, as virsh reads them. */
    private static List<String> keysIn(String file) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw new ShellError("Failed to open file '" + file + "': " + Shell.reason(e));
        }
    }

    @Descriptor("QEMU Guest Agent Command")
    public void qemu_agent_command(CommandSession session,
                                   @Descriptor("timeout seconds. must be positive.") @Parameter(names = "--timeout",
                                       absentValue = "-2") int timeout,
                                   @Descriptor("execute command without waiting for timeout")
                                   @Parameter(names = "--async", presentValue = "true", absentValue = "false")
                                   boolean async,
                                   @Descriptor("execute command without timeout") @Parameter(names = "--block",
                                       presentValue = "true", absentValue = "false") boolean block,
                                   @Descriptor("domain name, id or uuid") String domain,
                                   @Descriptor("command") String command) {
        int wait = async ? 0 : block ? -1 : timeout;
        onDomain(session, null, domain, (c, d) -> System.out.println(c.agentCommand(d, command, wait, 0)));
    }

    /** virsh's typed parameter lines: the name padded to {@code width}, then ": " and the value. */
    private static void printParams(List<TypedParameter> params, int width) {
        for (TypedParameter p : params) {
            Object value = p.value();
            String text = value instanceof Boolean b ? (b ? "yes" : "no")
                : p.type() == TypedParameter.Type.UINT ? Integer.toUnsignedString((Integer) value)
                : String.valueOf(value);
            System.out.printf("%-" + width + "s: %s%n", p.field(), text);
        }
    }
}
