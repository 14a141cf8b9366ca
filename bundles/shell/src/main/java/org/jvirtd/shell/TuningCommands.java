package org.jvirtd.shell;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.VirtException;
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
 * virsh's vCPU and guest-poking commands in the Gogo scope {@code virt}: setvcpus, vcpucount, maxvcpus,
 * vcpupin, emulatorpin, send-key, inject-nmi, reset, cpu-models and sysinfo, printing what virsh prints.
 */
@Component(service = TuningCommands.class, immediate = true, property = {"osgi.command.scope=virt",
    "osgi.command.function=setvcpus", "osgi.command.function=vcpucount", "osgi.command.function=maxvcpus",
    "osgi.command.function=send_key", "osgi.command.function=inject_nmi", "osgi.command.function=reset",
    "osgi.command.function=cpu_models", "osgi.command.function=vcpupin", "osgi.command.function=emulatorpin",
    "osgi.command.function=sysinfo"})
public final class TuningCommands {
    private static final List<String> CODESETS = List.of("linux", "xt", "atset1", "atset2", "atset3", "os_x",
        "xt_kbd", "usb", "win32", "qnum");
    /** Linux input key names (without KEY_) by code, for the keys a user types most; others go by number. */
    private static final Map<String, Integer> LINUX_KEYS = linuxKeys();

    private final ShellConnections connections;
    private final HyphenatedNames aliases;

    @Activate
    public TuningCommands(@Reference ShellConnections connections, BundleContext context) {
        this.connections = connections;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    @Descriptor("change number of virtual CPUs")
    public void setvcpus(CommandSession session,
                         @Descriptor("set maximum limit on next boot") @Parameter(names = "--maximum",
                             presentValue = "true", absentValue = "false") boolean maximum,
                         @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                             absentValue = "false") boolean config,
                         @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                             absentValue = "false") boolean live,
                         @Descriptor("affect current domain") @Parameter(names = "--current", presentValue = "true",
                             absentValue = "false") boolean current,
                         @Descriptor("modify cpu state in the guest") @Parameter(names = "--guest",
                             presentValue = "true", absentValue = "false") boolean guest,
                         @Descriptor("domain name, id or uuid") String domain,
                         @Descriptor("number of virtual CPUs") int count) {
        Shell.run(session, null, () -> {
            if (maximum && !config) {
                throw new ShellError("Option --config is required by option --maximum");
            }
            int flags = (config ? DomainFlags.AFFECT_CONFIG : 0) | (live ? DomainFlags.AFFECT_LIVE : 0)
                | (maximum ? DomainFlags.VCPU_MAXIMUM : 0) | (guest ? DomainFlags.VCPU_GUEST : 0);
            try (Connection c = connections.open(session)) {
                c.setVcpus(DomainCommands.lookup(c, domain), count, flags);
            }
        });
    }

    @Descriptor("domain vcpu counts")
    public void vcpucount(CommandSession session,
                          @Descriptor("get value about maximum count of vcpus") @Parameter(names = "--maximum",
                              presentValue = "true", absentValue = "false") boolean maximum,
                          @Descriptor("get value about current vcpu usage") @Parameter(names = "--active",
                              presentValue = "true", absentValue = "false") boolean active,
                          @Descriptor("get value from persistent config") @Parameter(names = "--config",
                              presentValue = "true", absentValue = "false") boolean config,
                          @Descriptor("get value from running domain") @Parameter(names = "--live",
                              presentValue = "true", absentValue = "false") boolean live,
                          @Descriptor("get value according to current domain state") @Parameter(names = "--current",
                              presentValue = "true", absentValue = "false") boolean current,
                          @Descriptor("retrieve vcpu count from the guest instead of the hypervisor")
                          @Parameter(names = "--guest", presentValue = "true", absentValue = "false") boolean guest,
                          @Descriptor("domain name, id or uuid") String domain) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                int scope = (config ? DomainFlags.AFFECT_CONFIG : 0) | (live ? DomainFlags.AFFECT_LIVE : 0)
                    | (guest ? DomainFlags.VCPU_GUEST : 0);
                if (maximum || active || config || live || current || guest) {
                    int flags = scope | (maximum ? DomainFlags.VCPU_MAXIMUM : 0);
                    System.out.println(c.vcpus(d, flags));
                    return;
                }
                boolean running = c.isActive(d);
                for (boolean max : new boolean[] {true, false}) {
                    for (boolean liveView : new boolean[] {false, true}) {
                        if (liveView && !running) {
                            continue;
                        }
                        int flags = (liveView ? DomainFlags.AFFECT_LIVE : DomainFlags.AFFECT_CONFIG)
                            | (max ? DomainFlags.VCPU_MAXIMUM : 0);
                        int count;
                        try {
                            count = c.vcpus(d, flags);
                        } catch (VirtException e) {
                            continue;   // a transient domain has no config to count
                        }
                        System.out.printf("%-12s %-12s %3d%n", max ? "maximum" : "current",
                            liveView ? "live" : "config", count);
                    }
                }
            }
        });
    }

    @Descriptor("connection vcpu maximum")
    public void maxvcpus(CommandSession session,
                         @Descriptor("domain type") @Parameter(names = "--type", absentValue = "") String type) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                System.out.println(c.maxVcpus(type.isEmpty() ? null : type));
            }
        });
    }

    @Descriptor("control or query domain vcpu affinity")
    public void vcpupin(CommandSession session,
                        @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                            absentValue = "false") boolean config,
                        @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                            absentValue = "false") boolean live,
                        @Descriptor("affect current domain") @Parameter(names = "--current", presentValue = "true",
                            absentValue = "false") boolean current,
                        @Descriptor("domain name, id or uuid, then the vCPU number and the host CPU list")
                        String... args) {
        Shell.run(session, null, () -> {
            if (args.length == 0 || args.length > 3) {
                throw new ShellError("command 'vcpupin' requires <domain> option");
            }
            int flags = (config ? DomainFlags.AFFECT_CONFIG : 0) | (live ? DomainFlags.AFFECT_LIVE : 0);
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, args[0]);
                Integer vcpu = args.length > 1 ? Integer.valueOf(args[1]) : null;
                if (args.length == 3) {
                    c.pinVcpu(d, vcpu, cpuList(args[2]), flags);
                    return;
                }
                List<BitSet> pins = c.vcpuPinInfo(d, flags);
                System.out.println(" VCPU   CPU Affinity");
                System.out.println("----------------------");
                for (int i = 0; i < pins.size(); i++) {
                    if (vcpu == null || vcpu == i) {
                        System.out.printf(" %-6d %s%n", i, format(pins.get(i)));
                    }
                }
                System.out.println();
            }
        });
    }

    @Descriptor("control or query domain emulator affinity")
    public void emulatorpin(CommandSession session,
                            @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                                absentValue = "false") boolean config,
                            @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                                absentValue = "false") boolean live,
                            @Descriptor("affect current domain") @Parameter(names = "--current",
                                presentValue = "true", absentValue = "false") boolean current,
                            @Descriptor("domain name, id or uuid, then the host CPU list") String... args) {
        Shell.run(session, null, () -> {
            if (args.length == 0 || args.length > 2) {
                throw new ShellError("command 'emulatorpin' requires <domain> option");
            }
            int flags = (config ? DomainFlags.AFFECT_CONFIG : 0) | (live ? DomainFlags.AFFECT_LIVE : 0);
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, args[0]);
                if (args.length == 2) {
                    c.pinEmulator(d, cpuList(args[1]), flags);
                    return;
                }
                System.out.println("emulator: CPU Affinity");
                System.out.println("----------------------------------");
                System.out.println("       *: " + format(c.emulatorPinInfo(d, flags)));
                System.out.println();
            }
        });
    }

    /** virsh's CPU list syntax: "0-3,^2,8". */
    private static BitSet cpuList(String text) {
        try {
            return CpuSets.parse(text);
        } catch (NumberFormatException e) {
            throw new ShellError("Invalid string '" + text + "' for cpulist");
        }
    }

    private static String format(BitSet set) {
        return CpuSets.format(set);
    }

    @Descriptor("Send keycodes to the guest")
    public void send_key(CommandSession session,
                         @Descriptor("the codeset of keycodes, default:linux") @Parameter(names = "--codeset",
                             absentValue = "linux") String codeset,
                         @Descriptor("the time (in milliseconds) how long the keys will be held")
                         @Parameter(names = "--holdtime", absentValue = "0") int holdtime,
                         @Descriptor("domain name, id or uuid") String domain,
                         @Descriptor("the key code") String... keycodes) {
        Shell.run(session, null, () -> {
            int set = CODESETS.indexOf(codeset.toLowerCase(Locale.ROOT));
            if (set < 0) {
                throw new ShellError("unknown codeset: '" + codeset + "'");
            }
            if (keycodes.length > 16) {
                throw new ShellError("too many keycodes");
            }
            int[] codes = new int[keycodes.length];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = keycode(set, keycodes[i]);
            }
            try (Connection c = connections.open(session)) {
                c.sendKey(DomainCommands.lookup(c, domain), set, holdtime, codes, 0);
            }
        });
    }

    @Descriptor("Inject NMI to the guest")
    public void inject_nmi(CommandSession session, @Descriptor("domain name, id or uuid") String domain) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                c.injectNmi(DomainCommands.lookup(c, domain), 0);
            }
        });
    }

    @Descriptor("reset a domain")
    public void reset(CommandSession session, @Descriptor("domain name, id or uuid") String domain) {
        Shell.run(session, "Failed to reset domain '" + domain + "'", () -> {
            try (Connection c = connections.open(session)) {
                c.reset(DomainCommands.lookup(c, domain), 0);
                System.out.println("Domain '" + domain + "' was reset");
            }
        });
    }

    @Descriptor("print the hypervisor sysinfo")
    public void sysinfo(CommandSession session) {
        Shell.run(session, "failed to get sysinfo", () -> {
            try (Connection c = connections.open(session)) {
                System.out.print(c.sysinfo(0));
            }
        });
    }

    @Descriptor("CPU models")
    public void cpu_models(CommandSession session, @Descriptor("architecture") String arch) {
        Shell.run(session, "failed to get CPU model names", () -> {
            try (Connection c = connections.open(session)) {
                List<String> models = c.cpuModelNames(arch, 0);
                if (models.isEmpty()) {
                    System.out.println("all CPU models are accepted");
                }
                models.forEach(System.out::println);
            }
        });
    }

    /** A key as virsh reads it: a number (decimal or 0x hex) or, for the linux codeset, a KEY_ name. */
    private static int keycode(int codeset, String text) {
        try {
            return text.startsWith("0x") || text.startsWith("0X") ? Integer.parseInt(text.substring(2), 16)
                : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            Integer code = codeset == 0 && text.toUpperCase(Locale.ROOT).startsWith("KEY_")
                ? LINUX_KEYS.get(text.substring(4).toUpperCase(Locale.ROOT)) : null;
            if (code == null) {
                throw new ShellError("invalid keycode: '" + text + "'");
            }
            return code;
        }
    }

    private static Map<String, Integer> linuxKeys() {
        List<Map.Entry<String, Integer>> keys = new ArrayList<>();
        String[] row = {"ESC", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "MINUS", "EQUAL", "BACKSPACE", "TAB",
            "Q", "W", "E", "R", "T", "Y", "U", "I", "O", "P", "LEFTBRACE", "RIGHTBRACE", "ENTER", "LEFTCTRL", "A", "S",
            "D", "F", "G", "H", "J", "K", "L", "SEMICOLON", "APOSTROPHE", "GRAVE", "LEFTSHIFT", "BACKSLASH", "Z", "X",
            "C", "V", "B", "N", "M", "COMMA", "DOT", "SLASH", "RIGHTSHIFT", "KPASTERISK", "LEFTALT", "SPACE",
            "CAPSLOCK", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "NUMLOCK", "SCROLLLOCK", "KP7",
            "KP8", "KP9", "KPMINUS", "KP4", "KP5", "KP6", "KPPLUS", "KP1", "KP2", "KP3", "KP0", "KPDOT"};
        for (int i = 0; i < row.length; i++) {
            keys.add(Map.entry(row[i], i + 1));
        }
        Object[][] more = {{"F11", 87}, {"F12", 88}, {"KPENTER", 96}, {"RIGHTCTRL", 97}, {"KPSLASH", 98},
            {"SYSRQ", 99}, {"RIGHTALT", 100}, {"HOME", 102}, {"UP", 103}, {"PAGEUP", 104}, {"LEFT", 105},
            {"RIGHT", 106}, {"END", 107}, {"DOWN", 108}, {"PAGEDOWN", 109}, {"INSERT", 110}, {"DELETE", 111},
            {"MUTE", 113}, {"VOLUMEDOWN", 114}, {"VOLUMEUP", 115}, {"POWER", 116}, {"KPEQUAL", 117}, {"PAUSE", 119},
            {"LEFTMETA", 125}, {"RIGHTMETA", 126}, {"COMPOSE", 127}, {"SLEEP", 142}, {"WAKEUP", 143}};
        for (Object[] k : more) {
            keys.add(Map.entry((String) k[0], (Integer) k[1]));
        }
        return Map.ofEntries(keys.toArray(Map.Entry[]::new));
    }
}
