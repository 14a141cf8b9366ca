package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_RET;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection.FsInfo;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.DomainArgs.DomainAndFlags;
import org.jvirtd.rpc.protocol.TypedParams;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The REMOTE procedures answered through a guest's agent: host name, clock, file system freeze/thaw/trim and
 * info, guest info, guest vCPUs and user passwords.
 */
public final class GuestAgentProcedures {
    /** REMOTE_DOMAIN_AUTHORIZED_SSH_KEYS_MAX. */
    private static final int SSH_KEYS_MAX = 2048;
    /** REMOTE_DOMAIN_FSFREEZE_MOUNTPOINTS_MAX, REMOTE_DOMAIN_FSINFO_MAX and its DISKS_MAX. */
    private static final int MOUNTPOINTS_MAX = 256;

    public void bindTo(ProcedureTable table) {
        table.bind(RemoteProcedure.DOMAIN_GET_HOSTNAME, DomainAndFlags::read, XdrWriter::writeString,
            (call, args) -> call.connection().hostname(args.dom(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_GET_TIME, DomainAndFlags::read,
            (XdrWriter out, long[] time) -> out.writeHyper(time[0]).writeUnsignedInt(time[1]),
            (call, args) -> call.connection().guestTime(args.dom(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_SET_TIME,
            in -> new SetTime(Types.readDomain(in), in.readHyper(), in.readInt(), in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().setGuestTime(args.dom(), args.seconds(), args.nseconds(),
                args.flags())));
        table.bind(RemoteProcedure.DOMAIN_FSFREEZE, MountPoints::read, Types::writeInt,
            (call, args) -> call.connection().fsFreeze(args.dom(), args.mountpoints(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_FSTHAW, MountPoints::read, Types::writeInt,
            (call, args) -> call.connection().fsThaw(args.dom(), args.mountpoints(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_FSTRIM,
            in -> new Trim(Types.readDomain(in), Types.readOptionalString(in), in.readHyper(), in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().fsTrim(args.dom(), args.mountPoint(), args.minimum(),
                args.flags())));
        table.bind(RemoteProcedure.DOMAIN_GET_FSINFO, DomainAndFlags::read, GuestAgentProcedures::writeFsInfo,
            (call, args) -> call.connection().fsInfo(args.dom(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_GET_GUEST_INFO,
            in -> new Count(Types.readDomain(in), in.readInt(), in.readInt()), GuestAgentProcedures::writeParams,
            (call, args) -> call.connection().guestInfo(args.dom(), args.value(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_GET_GUEST_VCPUS, DomainAndFlags::read, GuestAgentProcedures::writeParams,
            (call, args) -> call.connection().guestVcpus(args.dom(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_SET_GUEST_VCPUS,
            in -> new GuestVcpus(Types.readDomain(in), Types.readString(in), in.readInt(), in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().setGuestVcpus(args.dom(), args.cpumap(), args.state(),
                args.flags())));
        // remote_domain_agent_set_response_timeout_ret { int result }: 0 when it is set
        table.bind(RemoteProcedure.DOMAIN_AGENT_SET_RESPONSE_TIMEOUT,
            in -> new Count(Types.readDomain(in), in.readInt(), in.readInt()), Types::writeInt, (call, args) -> {
                call.connection().setAgentResponseTimeout(args.dom(), args.value(), args.flags());
                return 0;
            });
        table.bind(RemoteProcedure.DOMAIN_SET_USER_PASSWORD,
            in -> new Password(Types.readDomain(in), Types.readOptionalString(in), Types.readOptionalString(in),
                in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().setUserPassword(args.dom(), args.user(), args.password(),
                args.flags())));
        table.bind(RemoteProcedure.DOMAIN_AUTHORIZED_SSH_KEYS_GET,
            in -> new SshKeys(Types.readDomain(in), Types.readString(in), List.of(), in.readInt()),
            GuestAgentProcedures::writeKeys,
            (call, args) -> call.connection().authorizedSshKeys(args.dom(), args.user(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_AUTHORIZED_SSH_KEYS_SET,
            in -> new SshKeys(Types.readDomain(in), Types.readString(in),
                in.readArray(SSH_KEYS_MAX, 4, Types::readString), in.readInt()), NO_RET,
            (call, args) -> run(() -> call.connection().setAuthorizedSshKeys(args.dom(), args.user(), args.keys(),
                args.flags())));
    }

    private static Void run(Runnable action) {
        action.run();
        return null;
    }

    private static void writeParams(XdrWriter out, List<TypedParameter> params) {
        TypedParams.writeAll(out, params);
    }

    /** remote_domain_get_fsinfo_ret { remote_domain_fsinfo info<>; unsigned int ret }. */
    private static void writeFsInfo(XdrWriter out, List<FsInfo> infos) {
        out.writeArray(infos, (w, f) -> w.writeString(f.mountpoint()).writeString(f.name()).writeString(f.fstype())
            .writeArray(f.devAliases(), XdrWriter::writeString));
        out.writeUnsignedInt(infos.size());
    }

    record SetTime(DomainRef dom, long seconds, int nseconds, int flags) {
    }

    record Count(DomainRef dom, int value, int flags) {
    }

    record Trim(DomainRef dom, String mountPoint, long minimum, int flags) {
    }

    record GuestVcpus(DomainRef dom, String cpumap, int state, int flags) {
    }

    record Password(DomainRef dom, String user, String password, int flags) {
    }

    record SshKeys(DomainRef dom, String user, List<String> keys, int flags) {
    }

    /** remote_domain_authorized_ssh_keys_get_ret { remote_nonnull_string keys<REMOTE_..._MAX> }. */
    private static void writeKeys(XdrWriter out, List<String> keys) {
        if (keys.size() > SSH_KEYS_MAX) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC,
                "Number of keys " + keys.size() + ", which exceeds max limit: " + SSH_KEYS_MAX);
        }
        out.writeArray(keys, XdrWriter::writeString);
    }

    record MountPoints(DomainRef dom, List<String> mountpoints, int flags) {
        static MountPoints read(XdrReader in) {
            DomainRef dom = Types.readDomain(in);
            List<String> points = in.readArray(MOUNTPOINTS_MAX, 4, Types::readString);
            return new MountPoints(dom, points, in.readInt());
        }
    }
}
