package org.jvirtd.rpc.procedures;

import org.jvirtd.api.domain.ConsoleStream;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.Types;

/** virDomainOpenConsole: a stream between the client and a running guest's console (see {@link ConsoleRelay}). */
public final class ConsoleProcedures {
    /** remote_domain_open_console_args { remote_nonnull_domain dom; remote_string dev_name; unsigned int flags; }. */
    record OpenArgs(DomainRef domain, String devName, int flags) {
    }

    public void bindTo(ProcedureTable table) {
        table.bind(RemoteProcedure.DOMAIN_OPEN_CONSOLE,
            in -> new OpenArgs(Types.readDomain(in), Types.readOptionalString(in), in.readInt()),
            ProcedureTable.NO_RET, (call, args) -> {
                ConsoleStream console = call.connection().openConsole(args.domain(), args.devName(), args.flags());
                call.client().streams().put(call.header().serial(),
                    new ConsoleRelay(call.client(), call.header(), console));
                return null;
            });
    }
}
