package org.jvirtd.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.model.domain.CpuSets;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's commands that change a domain's settings, in the Gogo scope {@code virt}: iothreadadd, iothreaddel,
 * iothreadpin, iothreadset, blkdeviotune, setvcpu, domrename, set-lifecycle-action, dompmsuspend, dompmwakeup,
 * domblkerror and send-process-signal, printing what virsh prints.
 */
@Component(service = SettingCommands.class, immediate = true, property = {"osgi.command.scope=virt",
    "osgi.command.function=iothreadadd", "osgi.command.function=iothreaddel", "osgi.command.function=iothreadpin",
    "osgi.command.function=iothreadset", "osgi.command.function=blkdeviotune", "osgi.command.function=setvcpu",
    "osgi.command.function=domrename", "osgi.command.function=set_lifecycle_action",
    "osgi.command.function=dompmsuspend", "osgi.command.function=dompmwakeup",
    "osgi.command.function=domblkerror", "osgi.command.function=send_process_signal"})
public final class SettingCommands {
    private static final List<String> LIFECYCLE_TYPES = List.of("poweroff", "reboot", "crash");
    private static final List<String> LIFECYCLE_ACTIONS = List.of("destroy", "restart", "rename-restart",
        "preserve", "coredump-destroy", "coredump-restart");
    private static final List<String> SUSPEND_TARGETS = List.of("mem", "disk", "hybrid");
    private static final List<String> DISK_ERRORS = List.of("no error", "unspecified error", "no space");

    private final ShellConnections connections;
    private final HyphenatedNames aliases;

    @Activate
    public SettingCommands(@Reference ShellConnections connections, BundleContext context) {
        this.connections = connections;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    @FunctionalInterface
    private interface DomainAction {
        void run(Connection c, DomainRef d);
    }

    private void onDomain(CommandSession session, String failure, String domain, DomainAction body) {
        Shell.run(session, failure, () -> {
            try (Connection c = connections.open(session)) {
                body.run(c, DomainCommands.lookup(c, domain));
            }
        });
    }

    private static int flags(boolean config, boolean live) {
        return (config ? DomainFlags.AFFECT_CONFIG : 0) | (live ? DomainFlags.AFFECT_LIVE : 0);
    }

    private static int iothreadId(int id) {
        if (id <= 0) {
            throw new ShellError("Invalid IOThread id value: '" + id + "'");
        }
        return id;
    }

    @Descriptor("add an IOThread to the guest domain")
    public void iothreadadd(CommandSession session,
                            @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                                absentValue = "false") boolean config,
                            @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                                absentValue = "false") boolean live,
                            @Descriptor("domain name, id or uuid") String domain,
                            @Descriptor("iothread id of new IOThread") int id) {
        onDomain(session, null, domain, (c, d) -> c.addIothread(d, iothreadId(id), flags(config, live)));
    }

    @Descriptor("delete an IOThread from the guest domain")
    public void iothreaddel(CommandSession session,
                            @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                                absentValue = "false") boolean config,
                            @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                                absentValue = "false") boolean live,
                            @Descriptor("domain name, id or uuid") String domain,
                            @Descriptor("iothread_id for the IOThread to delete") int id) {
        onDomain(session, null, domain, (c, d) -> c.delIothread(d, iothreadId(id), flags(config, live)));
    }

    @Descriptor("control domain IOThread affinity")
    public void iothreadpin(CommandSession session,
                            @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                                absentValue = "false") boolean config,
                            @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                                absentValue = "false") boolean live,
                            @Descriptor("domain name, id or uuid") String domain,
                            @Descriptor("IOThread ID number") int id,
                            @Descriptor("host cpu number(s) to set") String cpulist) {
        onDomain(session, null, domain, (c, d) -> c.pinIothread(d, id, CpuSets.parse(cpulist), flags(config, live)));
    }

    @Descriptor("modifies an existing IOThread of the guest domain")
    public void iothreadset(CommandSession session,
                            @Descriptor("set the maximum IOThread polling time in ns") @Parameter(
                                names = "--poll-max-ns", absentValue = "-1") long pollMaxNs,
                            @Descriptor("set the value to increase the IOThread polling time") @Parameter(
                                names = "--poll-grow", absentValue = "-1") long pollGrow,
                            @Descriptor("set the value for reduction of the IOThread polling time") @Parameter(
                                names = "--poll-shrink", absentValue = "-1") long pollShrink,
                            @Descriptor("lower boundary for worker thread pool") @Parameter(
                                names = "--thread-pool-min", absentValue = "-2") int poolMin,
                            @Descriptor("upper boundary for worker thread pool") @Parameter(
                                names = "--thread-pool-max", absentValue = "-2") int poolMax,
                            @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                                absentValue = "false") boolean config,
                            @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                                absentValue = "false") boolean live,
                            @Descriptor("domain name, id or uuid") String domain,
                            @Descriptor("iothread id of existing IOThread") int id) {
        onDomain(session, null, domain, (c, d) -> {
            List<TypedParameter> params = new ArrayList<>();
            if (pollMaxNs >= 0) {
                params.add(TypedParameter.ofUllong("poll_max_ns", pollMaxNs));
            }
            if (pollGrow >= 0) {
                params.add(TypedParameter.ofUint("poll_grow", pollGrow));
            }
            if (pollShrink >= 0) {
                params.add(TypedParameter.ofUint("poll_shrink", pollShrink));
            }
            if (poolMin != -2) {
                params.add(new TypedParameter("thread_pool_min", TypedParameter.Type.INT, poolMin));
            }
            if (poolMax != -2) {
                params.add(new TypedParameter("thread_pool_max", TypedParameter.Type.INT, poolMax));
            }
            if (params.isEmpty()) {
                throw new ShellError("Not enough arguments passed, nothing to set");
            }
            c.setIothreadParams(d, iothreadId(id), params, flags(config, live));
        });
    }

    @Descriptor("Set or query a block device I/O tuning parameters.")
    public void blkdeviotune(CommandSession session,
                             @Descriptor("total throughput limit, as scaled integer (default bytes)") @Parameter(
                                 names = "--total-bytes-sec", absentValue = "-1") long totalBytes,
                             @Descriptor("read throughput limit") @Parameter(names = "--read-bytes-sec",
                                 absentValue = "-1") long readBytes,
                             @Descriptor("write throughput limit") @Parameter(names = "--write-bytes-sec",
                                 absentValue = "-1") long writeBytes,
                             @Descriptor("total I/O operations limit per second") @Parameter(
                                 names = "--total-iops-sec", absentValue = "-1") long totalIops,
                             @Descriptor("read I/O operations limit per second") @Parameter(
                                 names = "--read-iops-sec", absentValue = "-1") long readIops,
                             @Descriptor("write I/O operations limit per second") @Parameter(
                                 names = "--write-iops-sec", absentValue = "-1") long writeIops,
                             @Descriptor("total max") @Parameter(names = "--total-bytes-sec-max",
                                 absentValue = "-1") long totalBytesMax,
                             @Descriptor("total I/O operations max") @Parameter(names = "--total-iops-sec-max",
                                 absentValue = "-1") long totalIopsMax,
                             @Descriptor("I/O size in bytes") @Parameter(names = "--size-iops-sec",
                                 absentValue = "-1") long sizeIops,
                             @Descriptor("group name to share I/O quota between multiple drives") @Parameter(
                                 names = "--group-name", absentValue = "") String groupName,
                             @Descriptor("duration in seconds to allow total max bytes") @Parameter(
                                 names = "--total-bytes-sec-max-length", absentValue = "-1") long totalBytesLength,
                             @Descriptor("duration in seconds to allow total I/O operations max") @Parameter(
                                 names = "--total-iops-sec-max-length", absentValue = "-1") long totalIopsLength,
                             @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                                 absentValue = "false") boolean config,
                             @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                                 absentValue = "false") boolean live,
                             @Descriptor("domain name, id or uuid") String domain,
                             @Descriptor("block device") String device) {
        List<TypedParameter> params = new ArrayList<>();
        Map<String, Long> numbers = new java.util.LinkedHashMap<>();
        numbers.put("total_bytes_sec", totalBytes);
        numbers.put("read_bytes_sec", readBytes);
        numbers.put("write_bytes_sec", writeBytes);
        numbers.put("total_iops_sec", totalIops);
        numbers.put("read_iops_sec", readIops);
        numbers.put("write_iops_sec", writeIops);
        numbers.put("total_bytes_sec_max", totalBytesMax);
        numbers.put("total_iops_sec_max", totalIopsMax);
        numbers.put("size_iops_sec", sizeIops);
        numbers.put("total_bytes_sec_max_length", totalBytesLength);
        numbers.put("total_iops_sec_max_length", totalIopsLength);
        numbers.forEach((field, value) -> {
            if (value >= 0) {
                params.add(TypedParameter.ofUllong(field, value));
            }
        });
        if (!groupName.isEmpty()) {
            params.add(new TypedParameter("group_name", TypedParameter.Type.STRING, groupName));
        }
        boolean query = params.isEmpty();
        onDomain(session, query ? "Unable to get block I/O throttle parameters"
            : "Unable to change block I/O throttle", domain, (c, d) -> {
                if (!query) {
                    c.setBlockIoTune(d, device, params, flags(config, live));
                    return;
                }
                for (TypedParameter p : c.blockIoTune(d, device, flags(config, live) | (1 << 2))) {
                    System.out.printf("%-15s: %s%n", p.field(), p.value());
                }
            });
    }

    @Descriptor("attach/detach vcpu or groups of threads")
    public void setvcpu(CommandSession session,
                        @Descriptor("enable cpus specified by cpumap") @Parameter(names = "--enable",
                            presentValue = "true", absentValue = "false") boolean enable,
                        @Descriptor("disable cpus specified by cpumap") @Parameter(names = "--disable",
                            presentValue = "true", absentValue = "false") boolean disable,
                        @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                            absentValue = "false") boolean config,
                        @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                            absentValue = "false") boolean live,
                        @Descriptor("domain name, id or uuid") String domain,
                        @Descriptor("ids of vcpus to manipulate") String vcpulist) {
        onDomain(session, null, domain, (c, d) -> {
            if (enable == disable) {
                throw new ShellError("One of --enable or --disable is required");
            }
            c.setVcpu(d, vcpulist, enable ? 1 : 0, flags(config, live));
        });
    }

    @Descriptor("rename a domain")
    public void domrename(CommandSession session, @Descriptor("domain name or uuid") String domain,
                          @Descriptor("new domain name") String newName) {
        onDomain(session, null, domain, (c, d) -> {
            c.rename(d, newName, 0);
            System.out.println("Domain successfully renamed");
        });
    }

    @Descriptor("change lifecycle actions")
    public void set_lifecycle_action(CommandSession session,
                                     @Descriptor("affect next boot") @Parameter(names = "--config",
                                         presentValue = "true", absentValue = "false") boolean config,
                                     @Descriptor("affect running domain") @Parameter(names = "--live",
                                         presentValue = "true", absentValue = "false") boolean live,
                                     @Descriptor("domain name, id or uuid") String domain,
                                     @Descriptor("lifecycle type to modify (poweroff, reboot, crash)") String type,
                                     @Descriptor("lifecycle action to set") String action) {
        onDomain(session, "Unable to change lifecycle action.", domain, (c, d) -> {
            int typeNumber = LIFECYCLE_TYPES.indexOf(type);
            if (typeNumber < 0) {
                throw new ShellError("Invalid lifecycle type '" + type + "'.");
            }
            int actionNumber = LIFECYCLE_ACTIONS.indexOf(action);
            if (actionNumber < 0) {
                throw new ShellError("Invalid lifecycle action '" + action + "'.");
            }
            c.setLifecycleAction(d, typeNumber, actionNumber, flags(config, live));
        });
    }

    @Descriptor("suspend a domain gracefully using power management functions")
    public void dompmsuspend(CommandSession session,
                             @Descriptor("duration in seconds") @Parameter(names = "--duration", absentValue = "0")
                             long duration,
                             @Descriptor("domain name, id or uuid") String domain,
                             @Descriptor("mem(Suspend-to-RAM), disk(Suspend-to-Disk), hybrid(Hybrid-Suspend)")
                             String target) {
        onDomain(session, "Domain '" + domain + "' could not be suspended", domain, (c, d) -> {
            int number = SUSPEND_TARGETS.indexOf(target);
            if (number < 0) {
                throw new ShellError("Invalid target");
            }
            c.pmSuspend(d, number, duration, 0);
            System.out.println("Domain '" + d.name() + "' successfully suspended");
        });
    }

    @Descriptor("wakeup a domain from pmsuspended state")
    public void dompmwakeup(CommandSession session, @Descriptor("domain name, id or uuid") String domain) {
        onDomain(session, "Domain '" + domain + "' could not be woken up", domain, (c, d) -> {
            c.pmWakeup(d, 0);
            System.out.println("Domain '" + d.name() + "' successfully woken up");
        });
    }

    @Descriptor("Show errors on block devices")
    public void domblkerror(CommandSession session, @Descriptor("domain name, id, or uuid") String domain) {
        onDomain(session, null, domain, (c, d) -> {
            Map<String, Integer> errors = c.diskErrors(d, 0);
            if (errors.isEmpty()) {
                System.out.println("No errors found");
            }
            errors.forEach((disk, error) -> System.out.println(disk + ": " + DISK_ERRORS.get(error)));
        });
    }

    @Descriptor("Send signals to processes")
    public void send_process_signal(CommandSession session, @Descriptor("domain name, id or uuid") String domain,
                                    @Descriptor("the process ID") long pid,
                                    @Descriptor("the signal number or name") String signame) {
        onDomain(session, null, domain, (c, d) -> c.sendProcessSignal(d, pid, signal(signame), 0));
    }

    /** A signal by number or name (with or without SIG), as virsh takes it; libvirt's virDomainProcessSignal numbers. */
    private static int signal(String name) {
        List<String> names = List.of("nop", "hup", "int", "quit", "ill", "trap", "abrt", "bus", "fpe", "kill", "usr1",
            "segv", "usr2", "pipe", "alrm", "term", "stkflt", "chld", "cont", "stop", "tstp", "ttin", "ttou", "urg",
            "xcpu", "xfsz", "vtalrm", "prof", "winch", "poll", "pwr", "sys");
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        String bare = lower.startsWith("sig") ? lower.substring(3) : lower;
        if (names.contains(bare)) {
            return names.indexOf(bare);
        }
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            throw new ShellError("malformed signal name: " + name);
        }
    }
}
