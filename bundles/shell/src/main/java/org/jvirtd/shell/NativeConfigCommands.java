package org.jvirtd.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.connect.Connection;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's domxml-from-native and domxml-to-native in the Gogo scope {@code virt}: domain XML to and from a
 * hypervisor's own configuration format (on xen:///system "xen-xl", an xl.cfg file), printed as virsh prints it.
 */
@Component(service = NativeConfigCommands.class, immediate = true, property = {
    "osgi.command.scope=virt", "osgi.command.function=domxml_from_native",
    "osgi.command.function=domxml_to_native"})
public final class NativeConfigCommands {
    private final ShellConnections connections;
    private final HyphenatedNames aliases;

    @Activate
    public NativeConfigCommands(@Reference ShellConnections connections, BundleContext context) {
        this.connections = connections;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    @Descriptor("Convert native config to domain XML")
    public void domxml_from_native(CommandSession session, @Descriptor("source config data format") String format,
                                   @Descriptor("config data file to import from") String file) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                System.out.println(c.domainXmlFromNative(format, read(file), 0));
            }
        });
    }

    @Descriptor("Convert domain XML to native config")
    public void domxml_to_native(CommandSession session,
                                 @Descriptor("domain name, id or uuid")
                                 @Parameter(names = "--domain", absentValue = "") String domain,
                                 @Descriptor("xml data file to export from")
                                 @Parameter(names = "--xml", absentValue = "") String xml,
                                 @Descriptor("target config data type format") String format) {
        Shell.run(session, null, () -> {
            if (domain.isEmpty() == xml.isEmpty()) {
                throw new ShellError("Exactly one of --domain and --xml must be given");
            }
            try (Connection c = connections.open(session)) {
                String text = xml.isEmpty() ? c.xml(DomainCommands.lookup(c, domain), 0) : read(xml);
                System.out.println(c.domainXmlToNative(format, text, 0));
            }
        });
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ShellError("Failed to open file '" + file + "': " + Shell.reason(e));
        }
    }
}
