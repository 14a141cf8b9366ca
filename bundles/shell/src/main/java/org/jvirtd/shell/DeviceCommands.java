package org.jvirtd.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's device commands in the Gogo scope {@code virt}: attach-device, detach-device and update-device
 * from an XML file, live and/or persistent, printing what virsh prints.
 */
@Component(service = DeviceCommands.class, immediate = true, property = {"osgi.command.scope=virt",
    "osgi.command.function=attach_device", "osgi.command.function=detach_device",
    "osgi.command.function=update_device"})
public final class DeviceCommands {
    private final ShellConnections connections;
    private final HyphenatedNames aliases;

    @Activate
    public DeviceCommands(@Reference ShellConnections connections, BundleContext context) {
        this.connections = connections;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    @Descriptor("attach device from an XML file")
    public void attach_device(CommandSession session,
                              @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                                  absentValue = "false") boolean config,
                              @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                                  absentValue = "false") boolean live,
                              @Descriptor("affect current domain") @Parameter(names = "--current",
                                  presentValue = "true", absentValue = "false") boolean current,
                              @Descriptor("domain name, id or uuid") String domain,
                              @Descriptor("XML file") String file) {
        change(session, "Failed to attach device from " + file, "Device attached successfully", domain, file,
            flags(config, live), (c, d, xml, flags) -> c.attachDevice(d, xml, flags));
    }

    @Descriptor("detach device from an XML file")
    public void detach_device(CommandSession session,
                              @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                                  absentValue = "false") boolean config,
                              @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                                  absentValue = "false") boolean live,
                              @Descriptor("affect current domain") @Parameter(names = "--current",
                                  presentValue = "true", absentValue = "false") boolean current,
                              @Descriptor("domain name, id or uuid") String domain,
                              @Descriptor("XML file") String file) {
        change(session, "Failed to detach device from " + file, "Device detached successfully", domain, file,
            flags(config, live), (c, d, xml, flags) -> c.detachDevice(d, xml, flags));
    }

    @Descriptor("update device from an XML file")
    public void update_device(CommandSession session,
                              @Descriptor("affect next boot") @Parameter(names = "--config", presentValue = "true",
                                  absentValue = "false") boolean config,
                              @Descriptor("affect running domain") @Parameter(names = "--live", presentValue = "true",
                                  absentValue = "false") boolean live,
                              @Descriptor("affect current domain") @Parameter(names = "--current",
                                  presentValue = "true", absentValue = "false") boolean current,
                              @Descriptor("force device update") @Parameter(names = "--force", presentValue = "true",
                                  absentValue = "false") boolean force,
                              @Descriptor("domain name, id or uuid") String domain,
                              @Descriptor("XML file") String file) {
        change(session, "Failed to update device from " + file, "Device updated successfully", domain, file,
            flags(config, live) | (force ? 4 : 0), (c, d, xml, flags) -> c.updateDevice(d, xml, flags));
    }

    private static int flags(boolean config, boolean live) {
        return (config ? DomainFlags.AFFECT_CONFIG : 0) | (live ? DomainFlags.AFFECT_LIVE : 0);
    }

    @FunctionalInterface
    private interface DeviceChange {
        void apply(Connection c, DomainRef d, String xml, int flags);
    }

    private void change(CommandSession session, String failure, String success, String domain, String file,
                        int flags, DeviceChange change) {
        Shell.run(session, failure, () -> {
            String xml;
            try {
                xml = Files.readString(Path.of(file));
            } catch (IOException e) {
                throw new ShellError("Failed to open file '" + file + "': " + e.getMessage());
            }
            try (Connection c = connections.open(session)) {
                change.apply(c, DomainCommands.lookup(c, domain), xml, flags);
                System.out.println(success);
            }
        });
    }
}
