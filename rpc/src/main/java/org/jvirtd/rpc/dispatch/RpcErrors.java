package org.jvirtd.rpc.dispatch;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.rpc.wire.RemoteError;

/**
 * Builds error replies the way libvirtd fills virNetMessageError: message, str1 = the message
 * format, str2 = the detail, int1 = int2 = -1, level error. Also the errors the RPC layer itself
 * raises, with their libvirt wording and error domains.
 */
public final class RpcErrors {
    /** virErrorDomain numbers the api enum does not name (the files of libvirt's public API). */
    static final int FROM_INTERFACE = 26;
    static final int FROM_SECRET = 30;
    static final int FROM_NWFILTER = 33;
    static final int FROM_DOMAIN_SNAPSHOT = 35;
    static final int FROM_DOMAIN_CHECKPOINT = 69;

    private RpcErrors() {
    }

    public static RemoteError toRemote(VirtException e) {
        if (!e.prefixed()) {
            // virReportInvalidArg's form: the message is the text itself, str1 its format
            return new RemoteError(e.code().number(), e.domain().number(), e.getMessage(), RemoteError.LEVEL_ERROR,
                e.getMessage(), null, null, 0, 0);
        }
        return build(e.code(), e.domain().number(), e.detail());
    }

    /**
     * An error raised while serving {@code api}. "Not supported" and "read only" errors that name no
     * domain get the one libvirt's public API file reports them from.
     */
    public static RemoteError toRemote(VirtException e, String api) {
        boolean apiLevel = e.code() == ErrorCode.NO_SUPPORT || e.code() == ErrorCode.OPERATION_DENIED;
        if (apiLevel && e.domain() == ErrorDomain.NONE) {
            return build(e.code(), apiDomain(api), e.detail());
        }
        return toRemote(e);
    }

    public static RemoteError build(ErrorCode code, int domain, String detail) {
        String str1 = detail == null ? code.plain() : code.format();
        return new RemoteError(code.number(), domain, code.message(detail), RemoteError.LEVEL_ERROR,
            str1, detail, null, -1, -1);
    }

    /** "internal error: hypervisor connection not open" (procedures of the hypervisor driver). */
    public static RemoteError hypervisorNotOpen() {
        return build(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC.number(), "hypervisor connection not open");
    }

    /** "internal error: connection not open" (network, storage and the other secondary drivers). */
    public static RemoteError notOpen() {
        return build(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC.number(), "connection not open");
    }

    public static RemoteError unknownProcedure(int procedure) {
        return build(ErrorCode.RPC, ErrorDomain.RPC.number(), "unknown procedure: " + procedure);
    }

    public static RemoteError unknownProgram(int program, int version) {
        return build(ErrorCode.RPC, ErrorDomain.RPC.number(),
            "Cannot find program " + program + " version " + version);
    }

    /** A call before the client authenticated, as libvirtd refuses it (an RPC error, for old clients). */
    public static RemoteError authenticationRequired() {
        return rpc("authentication required");
    }

    public static RemoteError rpc(String detail) {
        return build(ErrorCode.RPC, ErrorDomain.RPC.number(), detail);
    }

    public static RemoteError internal(String detail) {
        return build(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC.number(), detail);
    }

    /** VIR_ERR_NO_SUPPORT as the public API reports an empty driver slot. */
    public static RemoteError noSupport(String api) {
        return build(ErrorCode.NO_SUPPORT, apiDomain(api), api);
    }

    /** VIR_ERR_OPERATION_DENIED as virCheckReadOnlyGoto reports it. */
    public static RemoteError readOnly(String api) {
        return build(ErrorCode.OPERATION_DENIED, apiDomain(api), "read only access prevents " + api);
    }

    /**
     * The error domain of the libvirt source file that holds a public API function (its
     * VIR_FROM_THIS): domain, network, storage, node device, ... and NONE for libvirt.c/libvirt-host.c.
     */
    static int apiDomain(String api) {
        if (api == null) {
            return ErrorDomain.NONE.number();
        }
        if (api.contains("Snapshot")) {
            return FROM_DOMAIN_SNAPSHOT;
        }
        if (api.contains("Checkpoint")) {
            return FROM_DOMAIN_CHECKPOINT;
        }
        if (api.startsWith("virDomain")) {
            return ErrorDomain.DOMAIN.number();
        }
        if (api.contains("NWFilter")) {
            return FROM_NWFILTER;
        }
        if (api.contains("Network")) {
            return ErrorDomain.NETWORK.number();
        }
        if (api.contains("Storage")) {
            return ErrorDomain.STORAGE.number();
        }
        if (api.startsWith("virNodeDevice") || api.contains("NodeDevice") || api.equals("virNodeNumOfDevices")
            || api.equals("virNodeListDevices")) {
            return ErrorDomain.NODEDEV.number();
        }
        if (api.contains("Secret")) {
            return FROM_SECRET;
        }
        if (api.contains("Interface")) {
            return FROM_INTERFACE;
        }
        if (api.startsWith("virStream")) {
            return ErrorDomain.STREAMS.number();
        }
        if (api.contains("Domain")) {
            return ErrorDomain.DOMAIN.number();
        }
        return ErrorDomain.NONE.number();
    }
}
