package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_ARGS;
import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_RET;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.connect.Hypervisors;
import org.jvirtd.rpc.dispatch.Call;
import org.jvirtd.rpc.dispatch.ConnectionScope;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/** The connection procedures: open/close, feature probes, host facts. */
public final class ConnectProcedures {
    /** VIR_CONNECT_RO. */
    static final int CONNECT_RO = 1;
    /** libvirt version this daemon speaks for (virConnectGetLibVersion): 9.0.0. */
    static final long LIB_VERSION = 9_000_000L;

    static final int FEATURE_PROGRAM_KEEPALIVE = 10;
    /** VIR_DRV_FEATURE_FD_PASSING: replies may carry descriptors (virDomainOpenGraphicsFD), as libvirtd claims. */
    static final int FEATURE_FD_PASSING = 8;
    static final int FEATURE_REMOTE_EVENT_CALLBACK = 14;
    /** VIR_DRV_FEATURE_TYPED_PARAM_STRING: typed parameters may be strings (group_name, numa_nodeset). */
    static final int FEATURE_TYPED_PARAM_STRING = 9;
    static final int FEATURE_REMOTE_CLOSE_CALLBACK = 15;

    private final Hypervisors hypervisors;

    public ConnectProcedures(Hypervisors hypervisors) {
        this.hypervisors = hypervisors;
    }

    record OpenArgs(String name, int flags) {
    }

    /** remote_connect_domain_xml_from/to_native_args: the native format, the text to convert, flags. */
    record NativeArgs(String format, String text, int flags) {
    }

    /** { remote_string emulatorbin, arch, machine, virttype; unsigned int flags }. */
    record DomainCapabilitiesArgs(String emulator, String arch, String machine, String virtType, int flags) {
        static DomainCapabilitiesArgs read(XdrReader in) {
            return new DomainCapabilitiesArgs(Types.readOptionalString(in), Types.readOptionalString(in),
                Types.readOptionalString(in), Types.readOptionalString(in), in.readInt());
        }
    }

    public void bindTo(ProcedureTable table) {
        table.bind(RemoteProcedure.CONNECT_OPEN, in -> new OpenArgs(Types.readOptionalString(in), in.readInt()),
            NO_RET, ConnectionScope.NONE, this::open);
        table.bind(RemoteProcedure.CONNECT_CLOSE, NO_ARGS, NO_RET, ConnectionScope.NONE, (call, args) -> {
            call.client().outbox().closeAfterFlush();
            return null;
        });
        table.bind(RemoteProcedure.CONNECT_SUPPORTS_FEATURE, in -> in.readInt(), Types::writeBool,
            ConnectionScope.NONE, ConnectProcedures::supportsFeature);
        table.bind(RemoteProcedure.CONNECT_GET_TYPE, NO_ARGS, XdrWriter::writeString,
            (call, args) -> call.connection().type());
        table.bind(RemoteProcedure.CONNECT_GET_VERSION, NO_ARGS, Types::writeHyper,
            (call, args) -> call.connection().hypervisorVersion());
        table.bind(RemoteProcedure.CONNECT_GET_LIB_VERSION, NO_ARGS, Types::writeHyper,
            (call, args) -> LIB_VERSION);
        table.bind(RemoteProcedure.CONNECT_GET_HOSTNAME, NO_ARGS, XdrWriter::writeString,
            (call, args) -> call.connection().hostname());
        table.bind(RemoteProcedure.CONNECT_GET_URI, NO_ARGS, XdrWriter::writeString,
            (call, args) -> call.connection().uri().toString());
        table.bind(RemoteProcedure.CONNECT_GET_CAPABILITIES, NO_ARGS, XdrWriter::writeString,
            (call, args) -> call.connection().capabilities());
        table.bind(RemoteProcedure.CONNECT_GET_DOMAIN_CAPABILITIES, DomainCapabilitiesArgs::read,
            XdrWriter::writeString, (call, a) -> call.connection().domainCapabilities(a.emulator(), a.arch(),
                a.machine(), a.virtType(), a.flags()));
        table.bind(RemoteProcedure.CONNECT_GET_MAX_VCPUS, Types::readOptionalString, Types::writeInt,
            (call, type) -> call.connection().maxVcpus(type));
        table.bind(RemoteProcedure.CONNECT_IS_SECURE, NO_ARGS, Types::writeBool,
            (call, args) -> call.client().localSocket() || call.client().auth().layered());
        table.answerAtOnce(RemoteProcedure.CONNECT_GET_LIB_VERSION, RemoteProcedure.CONNECT_GET_HOSTNAME,
            RemoteProcedure.CONNECT_GET_URI, RemoteProcedure.CONNECT_IS_SECURE);
        table.bind(RemoteProcedure.CONNECT_DOMAIN_XML_FROM_NATIVE, ConnectProcedures::readNativeArgs,
            XdrWriter::writeString, (call, args) -> call.connection().domainXmlFromNative(args.format(),
                args.text(), args.flags()));
        table.bind(RemoteProcedure.CONNECT_DOMAIN_XML_TO_NATIVE, ConnectProcedures::readNativeArgs,
            XdrWriter::writeString, (call, args) -> call.connection().domainXmlToNative(args.format(), args.text(),
                args.flags()));
        table.bind(RemoteProcedure.NODE_GET_INFO, NO_ARGS, ConnectProcedures::writeNodeInfo,
            (call, args) -> call.connection().nodeInfo());
        table.bind(RemoteProcedure.NODE_GET_SECURITY_MODEL, NO_ARGS, (XdrWriter out, Connection.SecurityModel m) -> {
            Types.writeCharArray(out, m.model());
            Types.writeCharArray(out, m.doi());
        }, (call, args) -> call.connection().securityModel());
        table.bind(RemoteProcedure.CONNECT_REGISTER_CLOSE_CALLBACK, NO_ARGS, NO_RET, (call, args) -> {
            call.client().closeCallback(true);
            return null;
        });
        table.bind(RemoteProcedure.CONNECT_UNREGISTER_CLOSE_CALLBACK, NO_ARGS, NO_RET, (call, args) -> {
            call.client().closeCallback(false);
            return null;
        });
    }

    private Void open(Call call, OpenArgs args) {
        if (call.client().connection() != null) {
            throw VirtErrors.internal(ErrorDomain.RPC, "connection already open");
        }
        if (args.name() == null) {
            // the monolithic libvirtd 9.0 opens nothing for a NULL name (remoteOpenConn)
            throw VirtErrors.internal(ErrorDomain.RPC, "connection not open");
        }
        boolean readOnly = call.client().readOnlySocket() || (args.flags() & CONNECT_RO) != 0;
        URI uri;
        try {
            uri = new URI(args.name());
        } catch (URISyntaxException e) {
            throw new VirtException(ErrorCode.NO_CONNECT, ErrorDomain.NONE, args.name());
        }
        Connection connection = hypervisors.open(uri, readOnly);
        if (!call.client().open(connection, readOnly)) {
            connection.close();
            throw VirtErrors.internal(ErrorDomain.RPC, "connection already open");
        }
        return null;
    }

    /**
     * Feature 10 starts keepalive and is answered before CONNECT_OPEN; the event and close callback
     * styles are the RPC layer's own, string typed parameters are read and written (without them libvirt's
     * client refuses to send group_name or numa_nodeset), descriptors go back in replies (a call that sends
     * some is answered "not supported", see Dispatcher#refuseWithFiles); everything else jvirtd does not claim.
     */
    private static Boolean supportsFeature(Call call, Integer feature) {
        if (feature == FEATURE_PROGRAM_KEEPALIVE) {
            call.client().outbox().startKeepalive();
            return true;
        }
        if (call.client().connection() == null) {
            throw VirtErrors.internal(ErrorDomain.RPC, "hypervisor connection not open");
        }
        return feature == FEATURE_REMOTE_EVENT_CALLBACK || feature == FEATURE_REMOTE_CLOSE_CALLBACK
            || feature == FEATURE_TYPED_PARAM_STRING || feature == FEATURE_FD_PASSING;
    }

    /** remote_node_get_info_ret: char model[32]; unsigned hyper memory; int cpus, mhz, nodes, sockets, cores, threads. */
    private static void writeNodeInfo(XdrWriter out, Connection.NodeInfo info) {
        Types.writeFixedChars(out, info.model(), 32);
        out.writeHyper(info.memoryKiB()).writeInt(info.cpus()).writeInt(info.mhz()).writeInt(info.nodes())
            .writeInt(info.sockets()).writeInt(info.cores()).writeInt(info.threads());
    }

    private static NativeArgs readNativeArgs(org.jvirtd.rpc.xdr.XdrReader in) {
        return new NativeArgs(Types.readString(in), Types.readString(in), in.readInt());
    }
}
