package org.jvirtd.shell;

import java.net.URI;

import org.apache.felix.service.command.CommandSession;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.connect.Hypervisors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The connection URI of each shell session (virsh's -c / connect), kept in a session variable, and
 * connections opened on it for the length of one command.
 */
@Component(service = ShellConnections.class)
public final class ShellConnections {
    static final String URI_VARIABLE = "VIRT_URI";

    private final Hypervisors hypervisors;

    @Activate
    public ShellConnections(@Reference Hypervisors hypervisors) {
        this.hypervisors = hypervisors;
    }

    URI uri(CommandSession session) {
        Object value = session == null ? null : session.get(URI_VARIABLE);
        if (value == null) {
            String env = System.getenv("LIBVIRT_DEFAULT_URI");
            return env == null || env.isEmpty() ? hypervisors.defaultUri() : URI.create(env);
        }
        return URI.create(value.toString());
    }

    Connection open(CommandSession session) {
        return hypervisors.open(uri(session), false);
    }

    /** Opens a connection to prove the URI works, then makes it the session's URI. */
    void connect(CommandSession session, URI uri) {
        try (Connection connection = hypervisors.open(uri, false)) {
            session.put(URI_VARIABLE, connection.uri().toString());
        }
    }
}
