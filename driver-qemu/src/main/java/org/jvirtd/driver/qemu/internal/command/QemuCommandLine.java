package org.jvirtd.driver.qemu.internal.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * Maps a domain definition, the binary's capabilities and qemu.conf to QEMU's command line, in
 * libvirt's argument order. Pure: it opens, reserves and starts nothing.
 */
public final class QemuCommandLine {
    private QemuCommandLine() {
    }

    public static QemuCommand build(GuestDef def, QemuCaps caps, QemuConf cfg) {
        return build(def, caps, cfg, DiskSecrets.NONE);
    }

    /** The command line, the passphrases of encrypted disks given by {@code diskSecrets}. */
    public static QemuCommand build(GuestDef def, QemuCaps caps, QemuConf cfg, DiskSecrets diskSecrets) {
        GuestValidator.validate(def, caps, cfg);
        BuildContext c = new BuildContext(def, caps, cfg, diskSecrets);
        List<String> argv = new ArrayList<>();
        MachineSection.name(c, argv);
        MachineSection.firmware(c, argv);
        MachineSection.machineAndCpu(c, argv);
        MemorySection.memoryAndCpus(c, argv);
        LifecycleSection.identityAndMonitor(c, argv);
        LifecycleSection.clockActionsAndBoot(c, argv);
        ControllerSection.controllers(c, argv);
        MemorySection.memoryDevices(c, argv);
        DiskSection.disks(c, argv);
        FilesystemSection.filesystems(c, argv);
        NetSection.interfaces(c, argv);
        MiscDeviceSection.smartcards(c, argv);
        CharSection.serialsAndChannels(c, argv);
        TpmSection.tpms(c, argv);
        InputSection.inputs(c, argv);
        GraphicsSection.audioAndGraphics(c, argv);
        VideoSection.videos(c, argv);
        SoundSection.sounds(c, argv);
        MiscDeviceSection.watchdogs(c, argv);
        MiscDeviceSection.redirdevs(c, argv);
        HostdevSection.hostdevs(c, argv);
        MiscDeviceSection.balloonAndRng(c, argv);
        if (c.def.vmcoreinfo()) {
            c.device(argv, Props.of("driver", "vmcoreinfo"));
        }
        argv.addAll(c.def.extras().args()); // <qemu:commandline>, as given
        sandbox(c, argv);
        MiscDeviceSection.panics(c, argv);
        MiscDeviceSection.vsocks(c, argv);
        argv.add("-msg");
        argv.add("timestamp=on");
        return new QemuCommand(environment(c), emulator(def, caps), argv);
    }

    static String emulator(GuestDef def, QemuCaps caps) {
        String emulator = def.devices().emulator();
        return emulator != null ? emulator : caps.emulator();
    }

    private static Map<String, String> environment(BuildContext c) {
        Map<String, String> env = new LinkedHashMap<>();
        String home = c.privateDir.toString();
        env.put("LC_ALL", "C");
        env.put("PATH", c.cfg.hostEnv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home);
        // passed on only when the daemon has them, as libvirt does
        for (String name : List.of("USER", "LOGNAME")) {
            if (c.cfg.hostEnv().containsKey(name)) {
                env.put(name, c.cfg.hostEnv().get(name));
            }
        }
        env.put("XDG_DATA_HOME", home + "/.local/share");
        env.put("XDG_CACHE_HOME", home + "/.cache");
        env.put("XDG_CONFIG_HOME", home + "/.config");
        env.putAll(c.def.extras().env());
        return env;
    }

    private static void sandbox(BuildContext c, List<String> argv) {
        if (c.caps.has("seccomp-sandbox")) {
            argv.add("-sandbox");
            // A daemonized QEMU forks and calls setsid after the filter is in place: libvirt forks for it instead.
            argv.add(c.cfg.argvMode() == QemuConf.ArgvMode.LAUNCH ? "on,obsolete=deny,resourcecontrol=deny"
                : "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
        }
    }
}
