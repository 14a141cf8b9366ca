package org.jvirtd.shell;

import java.net.URI;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.connect.Connection;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's connection commands in the Gogo scope {@code virt}: uri, connect, version, hostname, capabilities,
 * domcapabilities.
 */
@Component(service = ConnectCommands.class, property = {
    "osgi.command.scope=virt",
    "osgi.command.function=uri", "osgi.command.function=connect", "osgi.command.function=version",
    "osgi.command.function=hostname", "osgi.command.function=capabilities",
    "osgi.command.function=domcapabilities"})
public final class ConnectCommands {
    /** The libvirt version jvirtd implements, as clients see it. */
    static final String LIBVIRT_VERSION = "9.0.0";

    private final ShellConnections connections;

    @Activate
    public ConnectCommands(@Reference ShellConnections connections) {
        this.connections = connections;
    }

    @Descriptor("print the hypervisor canonical URI")
    public void uri(CommandSession session) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                System.out.println(c.uri());
            }
        });
    }

    @Descriptor("(re)connect to hypervisor")
    public void connect(CommandSession session, @Descriptor("hypervisor connection URI") String uri) {
        Shell.run(session, "Failed to connect to the hypervisor", () -> connections.connect(session, URI.create(uri)));
    }

    @Descriptor("show version")
    public void version(CommandSession session) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                System.out.println("Compiled against library: libvirt " + LIBVIRT_VERSION);
                System.out.println("Using library: libvirt " + LIBVIRT_VERSION);
                System.out.println("Using API: " + c.type() + " " + LIBVIRT_VERSION);
                System.out.println("Running hypervisor: " + c.type() + " " + versionText(c.hypervisorVersion()));
            }
        });
    }

    @Descriptor("print the hypervisor hostname")
    public void hostname(CommandSession session) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                System.out.println(c.hostname());
            }
        });
    }

    @Descriptor("capabilities")
    public void capabilities(CommandSession session) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                System.out.print(c.capabilities());
            }
        });
    }

    @Descriptor("domain capabilities: what a domain of this emulator, arch, machine and virt type can use")
    public void domcapabilities(CommandSession session,
                                @Descriptor("virtualization type (qemu, kvm, ...)")
                                @Parameter(names = "--virttype", absentValue = "") String virtType,
                                @Descriptor("path to the emulator binary")
                                @Parameter(names = "--emulatorbin", absentValue = "") String emulator,
                                @Descriptor("domain architecture")
                                @Parameter(names = "--arch", absentValue = "") String arch,
                                @Descriptor("machine type")
                                @Parameter(names = "--machine", absentValue = "") String machine) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                System.out.print(c.domainCapabilities(orNull(emulator), orNull(arch), orNull(machine),
                    orNull(virtType), 0));
            }
        });
    }

    private static String orNull(String option) {
        return option.isEmpty() ? null : option;
    }

    /** libvirt's version number (major * 1000000 + minor * 1000 + release) as "major.minor.release". */
    static String versionText(long version) {
        return (version / 1_000_000) + "." + (version / 1000 % 1000) + "." + (version % 1000);
    }
}
