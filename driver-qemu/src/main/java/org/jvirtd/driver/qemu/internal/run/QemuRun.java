package org.jvirtd.driver.qemu.internal.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.domain.StateReason;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.api.event.AgentLifecycleEvent;
import org.jvirtd.api.event.DomainEventType;
import org.jvirtd.driver.qemu.internal.block.BlockJobs;
import org.jvirtd.driver.qemu.internal.process.Cgroups;
import org.jvirtd.driver.qemu.internal.process.QemuProcess;
import org.jvirtd.driver.qemu.internal.qmp.AgentClient;
import org.jvirtd.driver.qemu.internal.qmp.QmpClient;

/**
 * One running QEMU: its pid and monitor, and how its QMP events and its exit become libvirt state
 * changes. Changes the driver asks for itself (pause, destroy, save) are not reported back.
 */
public final class QemuRun {
    private static final System.Logger LOG = System.getLogger(QemuRun.class.getName());

    private final DomainHandle handle;
    private final long pid;
    private final Path monitor;
    private volatile String onPoweroff;
    private final List<Path> cgroups;
    /** Deletes the run's TAP devices once QEMU is gone. */
    private final Runnable unplug;
    private final Map<String, CompletableFuture<Void>> deletions = new ConcurrentHashMap<>();
    private final Map<String, Boolean> portsOpen = new ConcurrentHashMap<>();
    private AgentClient agent;
    private final BlockJobs blockJobs;
    private volatile QmpClient qmp;
    private volatile boolean quiet;
    private volatile boolean monitorLetGo;
    private volatile boolean released;
    private volatile boolean guestShutdown;
    private volatile boolean fakeReboot;
    /** Between the guest's power-off and the resume after the reset of a fake reboot. */
    private volatile boolean rebooting;
    private volatile boolean expectPauseChange;
    private volatile boolean ignorePauses;

    QemuRun(DomainHandle handle, long pid, Path monitor, String onPoweroff, List<Path> cgroups, Runnable unplug) {
        this.handle = handle;
        this.pid = pid;
        this.monitor = monitor;
        this.onPoweroff = onPoweroff;
        this.cgroups = List.copyOf(cgroups);
        this.unplug = unplug;
        this.blockJobs = new BlockJobs(handle, () -> qmp);
    }

    /** The cgroup directories this run's QEMU was placed in. */
    public List<Path> cgroups() {
        return cgroups;
    }

    /** Takes over a QEMU started by an earlier driver instance, from the runtime facts it recorded. */
    public static QemuRun reconnect(DomainHandle handle, long pid, Path monitor, Runnable unplug, Runnable onGone) {
        String cgroups = handle.runtime().getOrDefault(QemuLauncher.CGROUPS, "");
        List<Path> dirs = cgroups.isEmpty() ? List.of()
            : java.util.Arrays.stream(cgroups.split(":")).map(Path::of).toList();
        String onPoweroff = org.jvirtd.driver.qemu.internal.guest.GuestXml.parse(handle.xml(), handle.id()).onPoweroff();
        QemuRun run = new QemuRun(handle, pid, monitor, onPoweroff, dirs, unplug);
        run.connect(onGone);
        try {
            run.blockJobs.recover(handle);
        } catch (RuntimeException e) {
            // the guest runs on either way; only its block jobs are not followed
            LOG.log(System.Logger.Level.WARNING, handle.name() + ": cannot take back its block jobs", e);
        }
        return run;
    }

    /** Connects the monitor with this run's event handlers; {@code onGone} runs after the exit is handled. */
    void connect(Runnable onGone) {
        Map<String, Consumer<Map<String, Object>>> events = new java.util.HashMap<>(blockJobs.qmpEvents());
        events.putAll(Map.of(
            "SHUTDOWN", this::onShutdown,
            "STOP", data -> onPauseChange(DomainState.PAUSED,
                rebooting ? StateReason.PAUSED_SHUTTING_DOWN : StateReason.UNKNOWN),
            "RESUME", data -> onPauseChange(DomainState.RUNNING,
                rebooting ? StateReason.RUNNING_BOOTED : StateReason.RUNNING_UNPAUSED),
            "RESET", data -> LOG.log(System.Logger.Level.DEBUG, handle.name() + ": guest reset"),
            "POWERDOWN", data -> LOG.log(System.Logger.Level.DEBUG, handle.name() + ": ACPI power button pressed"),
            "DEVICE_DELETED", this::onDeviceDeleted,
            "GUEST_PANICKED", data -> handle.stateChanged(DomainState.CRASHED, 1),
            "VSERPORT_CHANGE", this::onPortChange));
        // the guest suspended itself (to memory; a suspend to disk ends in SHUTDOWN) and woke up again
        events.put("SUSPEND", data -> handle.stateChanged(DomainState.PMSUSPENDED, 0));
        events.put("WAKEUP", data -> handle.stateChanged(DomainState.RUNNING, StateReason.RUNNING_WAKEUP));
        // QEMU reports the balloon's new size in bytes; libvirt passes it on in KiB
        events.put("BALLOON_CHANGE", data -> handle.emitBalloonChange(
            data.get("actual") instanceof Number n ? n.longValue() / 1024 : 0));
        qmp = QmpClient.connect(monitor, events, () -> {
            onExit();
            onGone.run();
        });
        readPortStates();
    }

    /** Which virtio-serial ports a guest has open now (a reattached run missed their VSERPORT_CHANGE events). */
    @SuppressWarnings("unchecked")
    private void readPortStates() {
        Object chardevs = qmp.execute("query-chardev", null, java.time.Duration.ofSeconds(10));
        for (Object entry : (List<Object>) chardevs) {
            Map<String, Object> chardev = (Map<String, Object>) entry;
            String label = String.valueOf(chardev.get("label"));
            if (label.startsWith("char") && chardev.get("frontend-open") instanceof Boolean open) {
                portsOpen.putIfAbsent(label.substring("char".length()), open);
            }
        }
    }

    /** A virtio-serial port opened or closed by the guest; the guest agent's is an agent lifecycle event. */
    private void onPortChange(Map<String, Object> data) {
        String alias = String.valueOf(data.get("id"));
        boolean open = Boolean.TRUE.equals(data.get("open"));
        Boolean before = portsOpen.put(alias, open);
        if (before != null && before == open || !alias.startsWith("channel")) {
            return;
        }
        try {
            int index = Integer.parseInt(alias.substring("channel".length()));
            var channels = org.jvirtd.driver.qemu.internal.guest.GuestXml.parse(handle.xml(), handle.id())
                .devices().channels();
            if (index < channels.size() && GuestAgentChannel.NAME.equals(channels.get(index).targetName())) {
                handle.emitAgentLifecycle(open ? AgentLifecycleEvent.CONNECTED : AgentLifecycleEvent.DISCONNECTED,
                    AgentLifecycleEvent.CHANNEL);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, handle.name() + ": port " + alias + " changed: " + e.getMessage());
        }
    }

    /** Whether the guest has the virtio-serial port with this alias (channel0, ...) open. */
    public boolean portOpen(String alias) {
        return Boolean.TRUE.equals(portsOpen.get(alias));
    }

    /** The guest agent client of this run, made on first use for the agent channel's socket. */
    public synchronized AgentClient agent(Path socket) {
        if (agent == null) {
            agent = new AgentClient(socket);
        }
        return agent;
    }

    public QmpClient qmp() {
        return qmp;
    }

    /** The block jobs of this run. */
    public BlockJobs blockJobs() {
        return blockJobs;
    }

    public long pid() {
        return pid;
    }

    public Path monitor() {
        return monitor;
    }

    public DomainHandle handle() {
        return handle;
    }

    /** From now on the exit is the driver's own doing (destroy, save): core records it. */
    public void quiet() {
        quiet = true;
    }

    /**
     * For a stop after a save: libvirt lets go of the monitor before it ends QEMU, so QEMU's SHUTDOWN is not
     * heard and only STOPPED/saved is reported (a destroy does report "Shutdown Finished after host request").
     */
    public void ignoreShutdown() {
        monitorLetGo = true;
    }

    /** Lets go of the monitor and leaves QEMU running for a later driver instance (bundle stop, daemon exit). */
    public void release() {
        released = true;
        blockJobs.close();
        qmp.close();
    }

    /** Deletes the run's TAP devices now, or waits for the exit handler that is deleting them. */
    public void unplug() {
        unplug.run();
    }

    /** The next STOP or RESUME is the driver's own doing. */
    public void expectPauseChange() {
        expectPauseChange = true;
    }

    /** STOP and RESUME are the driver's own doing until {@link #reportPauses} (savevm, loadvm stop the guest). */
    public void ignorePauses() {
        ignorePauses = true;
    }

    public void reportPauses() {
        ignorePauses = false;
    }

    public void requestFakeReboot() {
        fakeReboot = true;
    }

    private void onShutdown(Map<String, Object> data) {
        if (fakeReboot) {
            fakeReboot = false;
            rebooting = true;
            Thread reset = new Thread(() -> {
                qmp.systemReset();
                qmp.cont();
            }, "qemu-reboot-" + handle.name());
            reset.setDaemon(true);
            reset.start();
            return;
        }
        if (guestShutdown || monitorLetGo) {
            return; // QEMU reports SHUTDOWN again when the driver's SIGTERM ends it
        }
        guestShutdown = true;
        boolean byGuest = Boolean.TRUE.equals(data.get("guest"));
        handle.emit(DomainEventType.SHUTDOWN, byGuest ? 1 : 2);
        if ("destroy".equals(onPoweroff) || "restart".equals(onPoweroff)) {
            QemuProcess.signal(pid, false);
        }
    }

    private void onPauseChange(DomainState state, int reason) {
        if (state == DomainState.RUNNING) {
            rebooting = false;
        }
        if (ignorePauses) {
            return;
        }
        if (expectPauseChange || quiet || guestShutdown) {
            expectPauseChange = false;
            return;
        }
        handle.stateChanged(state, reason);
    }

    private void onDeviceDeleted(Map<String, Object> data) {
        Object device = data.get("device");
        CompletableFuture<Void> waiting = device == null ? null : deletions.remove(String.valueOf(device));
        if (waiting != null) {
            waiting.complete(null);
        }
        // a device with an id is one of the definition's (its alias); backends are reported by QOM path only
        if (device != null) {
            handle.emitDeviceRemoved(String.valueOf(device));
        }
    }

    /** What a power-off of the guest does from now on ({@code <on_poweroff>} changed while it runs). */
    public void setOnPoweroff(String action) {
        this.onPoweroff = action;
    }

    /** A future that completes when QEMU reports the device gone. */
    CompletableFuture<Void> awaitDeletion(String alias) {
        return deletions.computeIfAbsent(alias, a -> new CompletableFuture<>());
    }

    private void onExit() {
        synchronized (this) {
            if (agent != null) {
                agent.close();
            }
        }
        blockJobs.close();
        if (released) {
            return;
        }
        Cgroups.remove(cgroups);
        unplug.run();
        if (quiet) {
            return;
        }
        handle.stateChanged(DomainState.SHUTOFF, guestShutdown ? StateReason.SHUTOFF_SHUTDOWN
            : StateReason.SHUTOFF_CRASHED);
    }
}
