package org.jvirtd.rpc.procedures;

import org.jvirtd.api.connect.Hypervisors;
import org.jvirtd.rpc.dispatch.ProcedureTable;

/** Assembles the REMOTE program's procedure table from the per-area procedure classes. */
public final class RemoteProgram {
    private RemoteProgram() {
    }

    public static ProcedureTable table(Hypervisors hypervisors) {
        ProcedureTable table = new ProcedureTable();
        new ConnectProcedures(hypervisors).bindTo(table);
        new DomainProcedures().bindTo(table);
        new EventProcedures().bindTo(table);
        return table;
    }
}
