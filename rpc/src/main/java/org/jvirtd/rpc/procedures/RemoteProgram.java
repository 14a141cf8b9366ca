package org.jvirtd.rpc.procedures;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jvirtd.api.connect.HostInterfaces;
import org.jvirtd.api.connect.Hypervisors;
import org.jvirtd.api.connect.Networks;
import org.jvirtd.api.connect.NodeDevices;
import org.jvirtd.api.connect.StoragePools;
import org.jvirtd.api.nwfilter.NwFilters;
import org.jvirtd.rpc.dispatch.CurrentSecrets;
import org.jvirtd.rpc.dispatch.ProcedureTable;

/** Assembles the REMOTE program's procedure table from the per-area procedure classes. */
public final class RemoteProgram {
    private RemoteProgram() {
    }

    /** A table without network service (tests that need only the hypervisor). */
    public static ProcedureTable table(Hypervisors hypervisors) {
        return table(hypervisors, () -> null);
    }

    /**
     * @param networks the current Networks service, null while no network bundle is there
     */
    public static ProcedureTable table(Hypervisors hypervisors, Supplier<Networks> networks) {
        return table(hypervisors, networks, () -> null);
    }

    /**
     * @param networks the current Networks service, null while no network bundle is there
     * @param pools the current StoragePools service, null while no storage bundle is there
     */
    public static ProcedureTable table(Hypervisors hypervisors, Supplier<Networks> networks,
                                       Supplier<StoragePools> pools) {
        return table(hypervisors, networks, pools, new CurrentSecrets());
    }

    /**
     * @param networks the current Networks service, null while no network bundle is there
     * @param pools the current StoragePools service, null while no storage bundle is there
     * @param secrets the current Secrets service and its events
     */
    public static ProcedureTable table(Hypervisors hypervisors, Supplier<Networks> networks,
                                       Supplier<StoragePools> pools, CurrentSecrets secrets) {
        return table(hypervisors, networks, pools, secrets, () -> null, () -> null);
    }

    /**
     * @param nodeDevices the current NodeDevices service, null while no nodedev bundle is there
     * @param interfaces the current HostInterfaces service, null while no interface bundle is there
     */
    public static ProcedureTable table(Hypervisors hypervisors, Supplier<Networks> networks,
                                       Supplier<StoragePools> pools, CurrentSecrets secrets,
                                       Supplier<NodeDevices> nodeDevices, Supplier<HostInterfaces> interfaces) {
        return table(hypervisors, networks, pools, secrets, nodeDevices, interfaces, () -> null);
    }

    /**
     * @param nwFilters the current NwFilters service, null while no nwfilter bundle is there
     */
    public static ProcedureTable table(Hypervisors hypervisors, Supplier<Networks> networks,
                                       Supplier<StoragePools> pools, CurrentSecrets secrets,
                                       Supplier<NodeDevices> nodeDevices, Supplier<HostInterfaces> interfaces,
                                       Supplier<NwFilters> nwFilters) {
        AtomicInteger callbackIds = new AtomicInteger();
        ProcedureTable table = new ProcedureTable();
        new AuthProcedures().bindTo(table);
        new ConnectProcedures(hypervisors).bindTo(table);
        new DomainProcedures().bindTo(table);
        new EventProcedures(callbackIds).bindTo(table);
        new NetworkProcedures(networks, callbackIds).bindTo(table);
        new StoragePoolProcedures(pools, callbackIds).bindTo(table);
        new StorageVolumeProcedures(pools).bindTo(table);
        new SecretProcedures(secrets, callbackIds).bindTo(table);
        new NodeDeviceProcedures(nodeDevices, callbackIds).bindTo(table);
        new InterfaceProcedures(interfaces).bindTo(table);
        new NwFilterProcedures(nwFilters).bindTo(table);
        new NodeProcedures().bindTo(table);
        new DomainStatsProcedures().bindTo(table);
        new ConsoleProcedures().bindTo(table);
        new DomainControlProcedures().bindTo(table);
        new DomainResourceProcedures().bindTo(table);
        new DomainTuningProcedures().bindTo(table);
        new GuestAgentProcedures().bindTo(table);
        new DomainInspectionProcedures().bindTo(table);
        new BlockJobProcedures().bindTo(table);
        new CheckpointProcedures().bindTo(table);
        new SnapshotProcedures().bindTo(table);
        return table;
    }
}
