package org.jvirtd.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.nwfilter.NwFilterBindingRef;
import org.jvirtd.api.nwfilter.NwFilterRef;
import org.jvirtd.api.nwfilter.NwFilters;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's network filter and filter binding commands in the Gogo scope {@code virt}, with virsh's names, options
 * and output ({@code nwfilter_list} is also {@code nwfilter-list}, see {@link HyphenatedNames}); present while the
 * nwfilter bundle is.
 */
@Component(service = NwFilterCommands.class, immediate = true, property = {
    "osgi.command.scope=virt",
    "osgi.command.function=nwfilter_define", "osgi.command.function=nwfilter_undefine",
    "osgi.command.function=nwfilter_dumpxml", "osgi.command.function=nwfilter_list",
    "osgi.command.function=nwfilter_binding_create", "osgi.command.function=nwfilter_binding_delete",
    "osgi.command.function=nwfilter_binding_dumpxml", "osgi.command.function=nwfilter_binding_list"})
public final class NwFilterCommands {
    private final NwFilters filters;
    private final HyphenatedNames aliases;

    @Activate
    public NwFilterCommands(@Reference NwFilters filters, BundleContext context) {
        this.filters = filters;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    @Descriptor("define or update a network filter from an XML file")
    public void nwfilter_define(CommandSession session,
                                @Descriptor("validate the XML against the schema")
                                @Parameter(names = "--validate", presentValue = "true", absentValue = "false")
                                boolean validate,
                                @Descriptor("file containing an XML network filter description") String file) {
        Shell.run(session, "Failed to define network filter from " + file, () -> {
            NwFilterRef f = filters.define(readFile(file), validate ? NwFilters.DEFINE_VALIDATE : 0);
            System.out.println("Network filter " + f.name() + " defined from " + file);
        });
    }

    @Descriptor("undefine a network filter")
    public void nwfilter_undefine(CommandSession session, @Descriptor("network filter name or uuid") String nwfilter) {
        Shell.run(session, null, () -> {
            NwFilterRef f = lookup(nwfilter);
            try {
                filters.undefine(f);
            } catch (VirtException e) {
                throw new ShellError("Failed to undefine network filter " + nwfilter, e.getMessage());
            }
            System.out.println("Network filter " + nwfilter + " undefined");
        });
    }

    @Descriptor("network filter information in XML")
    public void nwfilter_dumpxml(CommandSession session, @Descriptor("network filter name or uuid") String nwfilter) {
        Shell.run(session, null, () -> System.out.print(filters.xml(lookup(nwfilter), 0)));
    }

    @Descriptor("list network filters")
    public void nwfilter_list(CommandSession session) {
        Shell.run(session, null, () -> {
            Table table = new Table("UUID", "Name");
            for (NwFilterRef f : filters.listAll(0)) {
                table.row(f.uuid().toString(), f.name());
            }
            System.out.print(table.render());
        });
    }

    @Descriptor("create a network filter binding from an XML file")
    public void nwfilter_binding_create(CommandSession session,
                                        @Descriptor("file containing an XML network filter binding description")
                                        String file) {
        Shell.run(session, "Failed to create network filter from " + file, () -> {
            NwFilterBindingRef b = filters.createBinding(readFile(file), 0);
            System.out.println("Network filter binding on " + b.portDev() + " created from " + file);
        });
    }

    @Descriptor("delete a network filter binding")
    public void nwfilter_binding_delete(CommandSession session, @Descriptor("network filter binding port dev")
                                        String binding) {
        Shell.run(session, null, () -> {
            NwFilterBindingRef b = lookupBinding(binding);
            try {
                filters.deleteBinding(b);
            } catch (VirtException e) {
                throw new ShellError("Failed to delete network filter binding " + binding, e.getMessage());
            }
            System.out.println("Network filter binding on " + binding + " deleted");
        });
    }

    @Descriptor("network filter binding information in XML")
    public void nwfilter_binding_dumpxml(CommandSession session, @Descriptor("network filter binding port dev")
                                         String binding) {
        Shell.run(session, null, () -> System.out.print(filters.bindingXml(lookupBinding(binding), 0)));
    }

    @Descriptor("list network filter bindings")
    public void nwfilter_binding_list(CommandSession session) {
        Shell.run(session, null, () -> {
            Table table = new Table("Port Dev", "Filter");
            for (NwFilterBindingRef b : filters.listAllBindings(0)) {
                table.row(b.portDev(), b.filterName());
            }
            System.out.print(table.render());
        });
    }

    /** A filter by UUID when the text is one, else by name, as virsh looks it up. */
    private NwFilterRef lookup(String key) {
        try {
            if (key.length() == 36) {
                try {
                    return filters.lookupByUuid(UUID.fromString(key));
                } catch (IllegalArgumentException notAUuid) {
                    // a name after all
                }
            }
            return filters.lookupByName(key);
        } catch (VirtException e) {
            throw new ShellError("failed to get nwfilter '" + key + "'", e.getMessage());
        }
    }

    private NwFilterBindingRef lookupBinding(String portDev) {
        try {
            return filters.lookupBinding(portDev);
        } catch (VirtException e) {
            throw new ShellError("failed to get nwfilter binding '" + portDev + "'", e.getMessage());
        }
    }

    private static String readFile(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ShellError("Failed to open file '" + file + "': " + Shell.reason(e));
        }
    }
}
