package org.jvirtd.shell;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's desc and metadata in the Gogo scope {@code virt}: a domain's description or title, and the elements
 * applications keep under its {@code <metadata>}, read and changed with virsh's options and messages.
 */
@Component(service = MetadataCommands.class, property = {"osgi.command.scope=virt", "osgi.command.function=desc",
    "osgi.command.function=metadata"})
public final class MetadataCommands {
    /** virDomainMetadataType. */
    private static final int DESCRIPTION = 0;
    private static final int TITLE = 1;
    private static final int ELEMENT = 2;

    private final ShellConnections connections;

    @Activate
    public MetadataCommands(@Reference ShellConnections connections) {
        this.connections = connections;
    }

    @Descriptor("show or set domain's description or title")
    public void desc(CommandSession session,
                     @Descriptor("modify/get running state") @Parameter(names = "--live", presentValue = "true",
                         absentValue = "false") boolean live,
                     @Descriptor("modify/get persistent state") @Parameter(names = "--config", presentValue = "true",
                         absentValue = "false") boolean config,
                     @Descriptor("modify/get the title instead of the description")
                     @Parameter(names = "--title", presentValue = "true", absentValue = "false") boolean title,
                     @Descriptor("message") @Parameter(names = "--new-desc", absentValue = "") String newDesc,
                     @Descriptor("domain name, id or uuid") String domain) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                int flags = flags(live, config);
                int type = title ? TITLE : DESCRIPTION;
                if (!newDesc.isEmpty()) {
                    c.setMetadata(d, type, newDesc, null, null, flags);
                    System.out.println("Domain " + (title ? "title" : "description") + " updated successfully");
                    return;
                }
                try {
                    System.out.println(c.metadata(d, type, null, flags));
                } catch (VirtException e) {
                    if (e.code() != ErrorCode.NO_DOMAIN_METADATA) {
                        throw e;
                    }
                    System.out.println("No " + (title ? "title" : "description") + " for domain: " + d.name());
                }
            }
        });
    }

    @Descriptor("show or set domain's custom XML metadata")
    public void metadata(CommandSession session,
                         @Descriptor("modify/get running state") @Parameter(names = "--live", presentValue = "true",
                             absentValue = "false") boolean live,
                         @Descriptor("modify/get persistent state") @Parameter(names = "--config",
                             presentValue = "true", absentValue = "false") boolean config,
                         @Descriptor("key to be used as a namespace identifier")
                         @Parameter(names = "--key", absentValue = "") String key,
                         @Descriptor("new metadata to set") @Parameter(names = "--set", absentValue = "") String set,
                         @Descriptor("remove the metadata corresponding to an uri")
                         @Parameter(names = "--remove", presentValue = "true", absentValue = "false") boolean remove,
                         @Descriptor("domain name, id or uuid") String domain,
                         @Descriptor("URI of the namespace") String uri) {
        Shell.run(session, null, () -> {
            try (Connection c = connections.open(session)) {
                DomainRef d = DomainCommands.lookup(c, domain);
                int flags = flags(live, config);
                if (remove) {
                    c.setMetadata(d, ELEMENT, null, key.isEmpty() ? null : key, uri, flags);
                    System.out.println("Metadata removed");
                } else if (!set.isEmpty()) {
                    c.setMetadata(d, ELEMENT, set, key.isEmpty() ? null : key, uri, flags);
                    System.out.println("Metadata modified");
                } else {
                    System.out.println(c.metadata(d, ELEMENT, uri, flags));
                }
            }
        });
    }

    private static int flags(boolean live, boolean config) {
        return (live ? DomainFlags.AFFECT_LIVE : 0) | (config ? DomainFlags.AFFECT_CONFIG : 0);
    }
}
