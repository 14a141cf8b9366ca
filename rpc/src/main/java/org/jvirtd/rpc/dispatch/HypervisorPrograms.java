package org.jvirtd.rpc.dispatch;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.wire.RemoteError;
import org.jvirtd.rpc.xdr.XdrException;

/**
 * The QEMU (0x20008087) and LXC (0x00068000) programs that libvirtd serves on its main socket beside
 * REMOTE. Apart from LXC_DOMAIN_OPEN_NAMESPACE once the connection is open and writable (see {@link
 * LxcOpenNamespace}), jvirtd implements none of their APIs, so every call gets the answer libvirtd gives with
 * a driver that lacks them: "not supported" (or "read only", or "not open"), reported from libvirt-qemu.c
 * and libvirt-lxc.c, whose error domain is VIR_FROM_NONE.
 */
enum HypervisorPrograms {
    QEMU_DOMAIN_MONITOR_COMMAND(Protocol.QEMU_PROGRAM, 1, "virDomainQemuMonitorCommand"),
    QEMU_DOMAIN_ATTACH(Protocol.QEMU_PROGRAM, 2, "virDomainQemuAttach"),
    QEMU_DOMAIN_AGENT_COMMAND(Protocol.QEMU_PROGRAM, 3, "virDomainQemuAgentCommand"),
    QEMU_CONNECT_DOMAIN_MONITOR_EVENT_REGISTER(Protocol.QEMU_PROGRAM, 4, "virConnectDomainQemuMonitorEventRegister"),
    /** Fails in the daemon before the API: no registration can exist. */
    QEMU_CONNECT_DOMAIN_MONITOR_EVENT_DEREGISTER(Protocol.QEMU_PROGRAM, 5, null),
    QEMU_DOMAIN_MONITOR_COMMAND_WITH_FILES(Protocol.QEMU_PROGRAM, 7, "virDomainQemuMonitorCommandWithFiles"),
    LXC_DOMAIN_OPEN_NAMESPACE(Protocol.LXC_PROGRAM, 1, "virDomainLxcOpenNamespace");

    private final int program;
    private final int number;
    private final String api;

    HypervisorPrograms(int program, int number, String api) {
        this.program = program;
        this.number = number;
        this.api = api;
    }

    static boolean serves(int program) {
        return program == Protocol.QEMU_PROGRAM || program == Protocol.LXC_PROGRAM;
    }

    /** The error reply to a call of the QEMU or LXC program. */
    static RemoteError answer(ClientState client, Packet call) {
        HypervisorPrograms row = find(call.header().program(), call.header().procedure());
        if (row == null) {
            return RpcErrors.unknownProcedure(call.header().procedure());
        }
        if (client.connection() == null) {
            return RpcErrors.hypervisorNotOpen();
        }
        if (row.api == null) {
            return deregister(call);
        }
        if (client.readOnly()) {
            return RpcErrors.build(ErrorCode.OPERATION_DENIED, ErrorDomain.NONE.number(),
                "read only access prevents " + row.api);
        }
        return RpcErrors.build(ErrorCode.NO_SUPPORT, ErrorDomain.NONE.number(), row.api);
    }

    private static RemoteError deregister(Packet call) {
        try {
            var in = call.payload();
            int callbackId = in.readInt();
            return RpcErrors.internal("qemu monitor event callback " + callbackId + " not registered");
        } catch (XdrException e) {
            return RpcErrors.rpc("Unable to decode message payload");
        }
    }

    private static HypervisorPrograms find(int program, int procedure) {
        for (HypervisorPrograms row : values()) {
            if (row.program == program && row.number == procedure) {
                return row;
            }
        }
        return null;
    }
}
