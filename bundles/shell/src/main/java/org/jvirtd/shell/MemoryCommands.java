package org.jvirtd.shell;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's memory commands in the Gogo scope {@code virt}: setmem (the balloon of a running guest, or the
 * persistent definition) and setmaxmem; sizes in KiB unless a unit follows (b, KiB, MiB, GiB, TiB, k, M, G, T).
 */
@Component(service = MemoryCommands.class, property = {"osgi.command.scope=virt", "osgi.command.function=setmem",
    "osgi.command.function=setmaxmem"})
public final class MemoryCommands {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([a-zA-Z]*)");

    private final ShellConnections connections;

    @Activate
    public MemoryCommands(@Reference ShellConnections connections) {
        this.connections = connections;
    }

    @Descriptor("change memory allocation")
    public void setmem(CommandSession session,
                       @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                           absentValue = "false") boolean config,
                       @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                           absentValue = "false") boolean live,
                       @Descriptor("affect current domain") @Parameter(names = "--current", presentValue = "true",
                           absentValue = "false") boolean current,
                       @Descriptor("domain name, id or uuid") String domain,
                       @Descriptor("new memory size, as scaled integer (default KiB)") String size) {
        // without a flag virsh calls virDomainSetMemory, which acts on the running guest
        int flags = (config ? DomainFlags.AFFECT_CONFIG : 0) | (live ? DomainFlags.AFFECT_LIVE : 0);
        set(session, domain, size, current || flags != 0 ? flags : DomainFlags.AFFECT_LIVE);
    }

    @Descriptor("change maximum memory limit")
    public void setmaxmem(CommandSession session,
                          @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                              absentValue = "false") boolean config,
                          @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                              absentValue = "false") boolean live,
                          @Descriptor("domain name, id or uuid") String domain,
                          @Descriptor("new maximum memory size, as scaled integer (default KiB)") String size) {
        int flags = DomainFlags.MEM_MAXIMUM | (config ? DomainFlags.AFFECT_CONFIG : 0)
            | (live ? DomainFlags.AFFECT_LIVE : 0);
        Shell.run(session, "Unable to change MaxMemorySize", () -> apply(session, domain, size, flags));
    }

    private void set(CommandSession session, String domain, String size, int flags) {
        Shell.run(session, null, () -> apply(session, domain, size, flags));
    }

    private void apply(CommandSession session, String domain, String size, int flags) {
        long kib = kib(size);
        try (Connection c = connections.open(session)) {
            DomainRef d = DomainCommands.lookup(c, domain);
            c.setMemory(d, kib, flags);
        }
    }

    /** A scaled size in KiB. */
    static long kib(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new ShellError("Numeric value '" + text + "' for <size> option is malformed or out of range");
        }
        long value = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "b", "bytes" -> value / 1024;
            case "", "k", "kib" -> value;
            case "m", "mib" -> value * 1024;
            case "g", "gib" -> value * 1024 * 1024;
            case "t", "tib" -> value * 1024 * 1024 * 1024;
            default -> throw new ShellError("Numeric value '" + text + "' for <size> option is malformed or out of range");
        };
    }
}
