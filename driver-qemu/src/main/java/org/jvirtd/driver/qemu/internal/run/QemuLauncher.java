package org.jvirtd.driver.qemu.internal.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.driver.qemu.internal.caps.QemuCapsCache;
import org.jvirtd.driver.qemu.internal.command.DiskSecrets;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.driver.qemu.internal.command.QemuCommand;
import org.jvirtd.driver.qemu.internal.command.QemuCommandLine;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.driver.qemu.internal.firmware.FirmwareDescriptors;
import org.jvirtd.driver.qemu.internal.firmware.FirmwareSetup;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.driver.qemu.internal.guest.GuestXml;
import org.jvirtd.driver.qemu.internal.net.HostNetwork;
import org.jvirtd.driver.qemu.internal.process.Cgroups;
import org.jvirtd.driver.qemu.internal.process.QemuProcess;
import org.jvirtd.model.domain.DomainXml;

/**
 * Brings a domain's QEMU up: TAP devices on their bridges, host resources, private directory and master
 * key, the detached process (in the network namespace), its cgroup, the monitor, passwords, an incoming
 * save image, and finally the CPUs.
 */
public final class QemuLauncher {
    public static final String PID = "pid";
    public static final String MONITOR = "monitor";
    public static final String PRIVATE_DIR = "privateDir";
    public static final String CGROUPS = "cgroups";

    private QemuLauncher() {
    }

    /**
     * Starts QEMU for a handle; {@code image} (with its stream offset) restores a save image. NVRAM files the
     * definition does not name go to {@code nvramDir}.
     */
    public static QemuRun launch(DomainHandle h, QemuConf baseCfg, QemuCapsCache capsCache, HostNetwork network,
                                 DiskPassphrases passphrases, Path nvramDir, boolean paused, Path image,
                                 long imageOffset, Runnable onGone) {
        network.plug(h);
        Runnable unplug = network.unplugOnce(() -> HostNetwork.recorded(h.runtime()));
        byte[] masterKey = DiskSecrets.newMasterKey();
        try {
            return start(h, baseCfg, capsCache, network.launchPrefix(), passphrases.under(masterKey), masterKey,
                nvramDir, unplug, paused, image, imageOffset, onGone);
        } catch (RuntimeException e) {
            unplug.run();
            throw e;
        } finally {
            java.util.Arrays.fill(masterKey, (byte) 0);
        }
    }

    private static QemuRun start(DomainHandle h, QemuConf baseCfg, QemuCapsCache capsCache, List<String> prefix,
                                 DiskSecrets diskSecrets, byte[] masterKey, Path nvramDir, Runnable unplug,
                                 boolean paused, Path image, long imageOffset, Runnable onGone) {
        QemuConf cfg = baseCfg.withLibDir(h.runDir());
        GuestDef stored = GuestXml.parse(h.xml(), h.id());
        PciPassthrough.requireFor(stored);
        QemuCaps caps = capsCache.get(emulator(stored));
        String xml = withFirmware(h.xml(), stored, caps, nvramDir);
        GuestDef def = HostResources.allocate(GuestXml.parse(xml, h.id()), cfg.displayPortMin());
        if (def.os().nvram() != null) {
            FirmwareSetup.createNvram(Path.of(def.os().nvram()),
                def.os().nvramTemplate() == null ? null : Path.of(def.os().nvramTemplate()));
        }
        QemuCommand command = QemuCommandLine.build(def, caps, cfg, diskSecrets);
        Path privateDir = cfg.privateDir(h.id(), h.name());
        prepare(privateDir, def, cfg, masterKey);
        Path monitor = privateDir.resolve("monitor.sock");
        List<String> extra = image == null ? List.of() : List.of("-incoming", "defer");
        TpmEmulator tpm = TpmEmulator.of(h, def, cfg);
        HelperDaemons helpers = new HelperDaemons(h, tpm);
        long pid;
        try {
            if (tpm != null) {
                tpm.start(cfg);
            }
            helpers.virtiofs = VirtiofsDaemons.start(h, def, cfg);
            pid = QemuProcess.launch(prefix, command, cfg, extra, privateDir.resolve("qemu.pid"),
                h.logDir().resolve(h.name() + ".log"));
        } catch (RuntimeException e) {
            helpers.stop();
            throw e;
        }
        Runnable cleanup = () -> {
            unplug.run();
            helpers.stop();
        };
        List<Path> cgroups = Cgroups.place("qemu-" + h.id() + "-" + h.name(), pid);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put(PID, Long.toString(pid));
        facts.put(MONITOR, monitor.toString());
        facts.put(PRIVATE_DIR, privateDir.toString());
        facts.put(CGROUPS, cgroups.stream().map(Path::toString).collect(Collectors.joining(":")));
        facts.putAll(helpers.facts());
        h.putRuntime(facts);
        QemuRun run = new QemuRun(h, pid, monitor, def.onPoweroff(), cgroups, cleanup);
        try {
            run.connect(onGone);
            configure(run, def, caps, cfg);
            CpuPinning.apply(run, DomainXml.parse(xml));
            IothreadControl.applyDefined(run, xml);
            BlockThrottle.applyDefined(run, def, xml);
            DefinedTunables.apply(cgroups, xml);
            if (image != null) {
                MigrationStreams.restore(run, image, imageOffset, privateDir);
            }
            h.setLiveXml(org.jvirtd.driver.qemu.internal.block.BlockJobs.withChains(run.qmp(),
                LiveXml.of(xml, def, cfg, privateDir, h.id(), ConsoleDevices.ptys(run.qmp())), h.id()));
            if (!paused) {
                run.expectPauseChange();
                run.qmp().cont();
            }
            return run;
        } catch (RuntimeException e) {
            run.quiet();
            QemuProcess.signal(pid, true);
            helpers.stop();
            throw e;
        }
    }

    /**
     * The processes a run needs beside QEMU (its TPM emulator, its virtiofsd daemons), ended with it; the TPM state
     * of a transient domain goes with the run unless the definition keeps it ({@code persistent_state='yes'}), as
     * libvirt does.
     */
    private static final class HelperDaemons {
        private final DomainHandle handle;
        private final TpmEmulator tpm;
        private VirtiofsDaemons virtiofs;

        HelperDaemons(DomainHandle handle, TpmEmulator tpm) {
            this.handle = handle;
            this.tpm = tpm;
        }

        Map<String, String> facts() {
            Map<String, String> facts = new LinkedHashMap<>();
            if (tpm != null) {
                facts.putAll(tpm.facts());
            }
            if (virtiofs != null && virtiofs.any()) {
                facts.putAll(virtiofs.facts());
            }
            return facts;
        }

        void stop() {
            if (virtiofs != null) {
                virtiofs.stop();
            }
            if (tpm != null) {
                tpm.stop();
                if (!handle.persistent() && !tpm.persistentState()) {
                    TpmEmulator.deleteState(handle.stateDir(), handle.uuid());
                }
            }
        }
    }

    /** The definition with the firmware of {@code <os firmware=...>} chosen from the system's descriptors. */
    static String withFirmware(String xml, GuestDef def, QemuCaps caps, Path nvramDir) {
        return FirmwareSetup.apply(xml, def.name(), def.os().arch(), machineName(def, caps),
            FirmwareDescriptors.read(FirmwareDescriptors.SYSTEM_DIRS), nvramDir);
    }

    /** The machine type the definition runs on, an alias resolved; the name as written if the binary lacks it. */
    private static String machineName(GuestDef def, QemuCaps caps) {
        String machine = def.os().machine();
        return (machine == null ? caps.defaultMachine(def.accel()) : caps.machine(def.accel(), machine))
            .map(QemuCaps.Machine::name).orElse(String.valueOf(machine));
    }

    static String emulator(GuestDef def) {
        String emulator = def.devices().emulator();
        return emulator != null ? emulator : "/usr/bin/qemu-system-x86_64";
    }

    private static void configure(QemuRun run, GuestDef def, QemuCaps caps, QemuConf cfg) {
        if ("destroy".equals(def.onReboot()) && caps.has("set-action")) {
            run.qmp().setAction("shutdown");
        }
        GuestDef.Memballoon balloon = def.devices().memballoon();
        if (balloon != null && "virtio".equals(balloon.model()) && balloon.statsPeriod() > 0) {
            // as libvirt does at start: the guest reports its memory figures at the period the definition asks
            run.qmp().execute("qom-set", Props.of("path", "/machine/peripheral/balloon0")
                .put("property", "guest-stats-polling-interval").put("value", balloon.statsPeriod()),
                java.time.Duration.ofSeconds(10));
        }
        for (GuestDef.Graphics g : def.devices().graphics()) {
            String password = g.passwd() != null ? g.passwd()
                : "vnc".equals(g.type()) ? cfg.vncPassword() : cfg.spicePassword();
            if (password != null) {
                run.qmp().setPassword(g.type(), password);
            }
        }
    }

    /** Makes the private directory and master key, and hands both and the disks to qemu.conf's user. */
    private static void prepare(Path privateDir, GuestDef def, QemuConf cfg, byte[] masterKey) {
        try {
            Files.createDirectories(privateDir);
            Path channels = cfg.channelDir(def.id(), def.name());
            Files.createDirectories(channels);
            if (def.memoryBacking().fileBacked()
                || def.numa().stream().anyMatch(cell -> "shared".equals(cell.memAccess()))) {
                Files.createDirectories(cfg.memoryBackingDir(def.id(), def.name()));
            }
            Path key = privateDir.resolve("master-key.aes");
            Files.deleteIfExists(key);
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(key, masterKey);
            if (cfg.dropsPrivileges()) {
                List<Path> owned = new ArrayList<>(List.of(privateDir, key, channels));
                if (cfg.dynamicOwnership()) {
                    def.devices().disks().stream().filter(d -> d.source() != null && d.network() == null)
                        .forEach(d -> owned.add(Path.of(d.source())));
                }
                chown(owned, cfg);
            }
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "cannot prepare '" + privateDir + "': " + e.getMessage(), e);
        }
    }

    private static void chown(List<Path> paths, QemuConf cfg) throws IOException {
        UserPrincipalLookupService users = privateDirFs().getUserPrincipalLookupService();
        var user = users.lookupPrincipalByName(cfg.user());
        var group = users.lookupPrincipalByGroupName(cfg.group() == null ? cfg.user() : cfg.group());
        for (Path p : paths) {
            Files.setOwner(p, user);
            Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(group);
        }
    }

    private static java.nio.file.FileSystem privateDirFs() {
        return java.nio.file.FileSystems.getDefault();
    }
}
