package org.jvirtd.rpc.admin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.core.config.DaemonLogging;
import org.jvirtd.core.config.DaemonTimeout;
import org.jvirtd.rpc.admin.AdminTypes.Client;
import org.jvirtd.rpc.admin.AdminTypes.Server;
import org.jvirtd.rpc.admin.AdminTypes.TypedParam;
import org.jvirtd.rpc.dispatch.ClientState;
import org.jvirtd.rpc.dispatch.Dispatcher;
import org.jvirtd.rpc.dispatch.Priority;
import org.jvirtd.rpc.dispatch.RpcErrors;
import org.jvirtd.rpc.server.ClientInfo;
import org.jvirtd.rpc.server.Program;
import org.jvirtd.rpc.server.RpcServer;
import org.jvirtd.rpc.server.TlsContext;
import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.xdr.XdrException;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The ADMIN program (0x06900690) of libvirt-admin-sock: the daemon's servers ("libvirtd" and "admin")
 * and their clients, worker pools and client limits (read and changed at runtime), TLS file reload, and
 * the log filters and outputs, as virt-admin uses them.
 */
public final class AdminProgram implements Program {
    public static final int PROGRAM = 0x06900690;
    /** virt-admin's "version" shows the daemon's libvirt version: 9.0.0 as jvirtd speaks it. */
    static final long LIB_VERSION = 9_000_000;

    static final int CONNECT_OPEN = 1;
    static final int CONNECT_CLOSE = 2;
    static final int CONNECT_GET_LIB_VERSION = 3;
    static final int CONNECT_LIST_SERVERS = 4;
    static final int CONNECT_LOOKUP_SERVER = 5;
    static final int SERVER_GET_THREADPOOL_PARAMETERS = 6;
    static final int SERVER_SET_THREADPOOL_PARAMETERS = 7;
    static final int SERVER_LIST_CLIENTS = 8;
    static final int SERVER_LOOKUP_CLIENT = 9;
    static final int CLIENT_GET_INFO = 10;
    static final int CLIENT_CLOSE = 11;
    static final int SERVER_GET_CLIENT_LIMITS = 12;
    static final int SERVER_SET_CLIENT_LIMITS = 13;
    static final int CONNECT_GET_LOGGING_OUTPUTS = 14;
    static final int CONNECT_GET_LOGGING_FILTERS = 15;
    static final int CONNECT_SET_LOGGING_OUTPUTS = 16;
    static final int CONNECT_SET_LOGGING_FILTERS = 17;
    static final int SERVER_UPDATE_TLS_FILES = 18;
    static final int CONNECT_SET_DAEMON_TIMEOUT = 19;
    private static final int LAST_PROCEDURE = 19;

    private static final Consumer<XdrWriter> VOID = out -> {
    };

    private final Map<String, RpcServer> servers;
    private final DaemonLogging logging;
    private final DaemonTimeout timeout;
    private final TlsContext tls;

    /**
     * @param servers the daemon's servers by name, in the order virt-admin lists them
     * @param tls the libvirtd server's TLS context, null without a TLS listener
     */
    public AdminProgram(Map<String, RpcServer> servers, DaemonLogging logging, DaemonTimeout timeout, TlsContext tls) {
        this.servers = servers;
        this.logging = logging;
        this.timeout = timeout;
        this.tls = tls;
    }

    @Override
    public int number() {
        return PROGRAM;
    }

    @Override
    public Priority priority(int procedure) {
        return Priority.LOW;
    }

    @Override
    public ByteBuffer dispatch(ClientState client, Packet call) {
        Header header = call.header();
        try {
            XdrReader in = call.payload();
            Consumer<XdrWriter> reply = run(client, header.procedure(), in);
            return Packet.encode(header.reply(MessageStatus.OK), reply);
        } catch (AdminException e) {
            return Dispatcher.error(header, e.error());
        } catch (XdrException e) {
            return Dispatcher.error(header, RpcErrors.rpc("Unable to decode message payload"));
        } catch (IllegalArgumentException e) {
            return Dispatcher.error(header, RpcErrors.build(ErrorCode.INVALID_ARG, ErrorDomain.ADMIN.number(),
                e.getMessage()));
        }
    }

    private Consumer<XdrWriter> run(ClientState client, int procedure, XdrReader in) {
        return switch (procedure) {
            case CONNECT_OPEN -> {
                in.readUnsignedInt();
                yield VOID;
            }
            case CONNECT_CLOSE -> {
                client.outbox().closeAfterFlush();
                yield VOID;
            }
            case CONNECT_GET_LIB_VERSION -> out -> out.writeHyper(LIB_VERSION);
            case CONNECT_LIST_SERVERS -> listServers(in.readUnsignedInt() != 0, in.readUnsignedInt());
            case CONNECT_LOOKUP_SERVER -> {
                Server server = new Server(in.readString(AdminTypes.STRING_MAX));
                in.readUnsignedInt();
                server(server);
                yield server::write;
            }
            case SERVER_GET_THREADPOOL_PARAMETERS -> threadPool(Server.read(in), in.readUnsignedInt());
            case SERVER_SET_THREADPOOL_PARAMETERS -> {
                Server server = Server.read(in);
                Map<String, Long> params = TypedParam.readUints(in, AdminTypes.THREADPOOL_PARAMETERS_MAX,
                    ThreadPoolParams.SETTABLE);
                in.readUnsignedInt();
                server(server).setThreadPool(params.get(ThreadPoolParams.MIN_WORKERS),
                    params.get(ThreadPoolParams.MAX_WORKERS), params.get(ThreadPoolParams.PRIO_WORKERS));
                yield VOID;
            }
            case SERVER_LIST_CLIENTS -> listClients(Server.read(in), in.readUnsignedInt() != 0, in.readUnsignedInt());
            case SERVER_LOOKUP_CLIENT -> {
                Server server = Server.read(in);
                long id = in.readHyper();
                in.readUnsignedInt();
                ClientInfo info = client(server, id);
                yield out -> asClient(server, info).write(out);
            }
            case CLIENT_GET_INFO -> {
                Client target = Client.read(in);
                in.readUnsignedInt();
                List<TypedParam> params = ClientParams.of(client(target.server(), target.id()));
                yield out -> TypedParam.writeAll(out, params);
            }
            case CLIENT_CLOSE -> {
                Client target = Client.read(in);
                in.readUnsignedInt();
                if (!server(target.server()).disconnect(target.id())) {
                    throw noClient(target.id());
                }
                yield VOID;
            }
            case SERVER_GET_CLIENT_LIMITS -> clientLimits(Server.read(in), in.readUnsignedInt());
            case SERVER_SET_CLIENT_LIMITS -> {
                Server server = Server.read(in);
                Map<String, Long> params = TypedParam.readUints(in, AdminTypes.CLIENT_LIMITS_MAX,
                    ClientLimitParams.SETTABLE);
                in.readUnsignedInt();
                server(server).setClientLimits(params.get(ClientLimitParams.MAX),
                    params.get(ClientLimitParams.UNAUTH_MAX));
                yield VOID;
            }
            case CONNECT_GET_LOGGING_OUTPUTS -> {
                in.readUnsignedInt();
                String outputs = logging.outputs();
                yield out -> out.writeString(outputs).writeUnsignedInt(count(outputs));
            }
            case CONNECT_GET_LOGGING_FILTERS -> {
                in.readUnsignedInt();
                String filters = logging.filters();
                yield out -> out.writeOptional(filters.isEmpty() ? null : filters, XdrWriter::writeString)
                    .writeUnsignedInt(count(filters));
            }
            case CONNECT_SET_LOGGING_OUTPUTS -> {
                String outputs = in.readOptional(r -> r.readString(AdminTypes.STRING_MAX));
                in.readUnsignedInt();
                logging.setOutputs(outputs == null ? "" : outputs);
                yield VOID;
            }
            case CONNECT_SET_LOGGING_FILTERS -> {
                String filters = in.readOptional(r -> r.readString(AdminTypes.STRING_MAX));
                in.readUnsignedInt();
                logging.setFilters(filters == null ? "" : filters);
                yield VOID;
            }
            case SERVER_UPDATE_TLS_FILES -> updateTlsFiles(Server.read(in), in.readUnsignedInt());
            case CONNECT_SET_DAEMON_TIMEOUT -> setDaemonTimeout(in.readUnsignedInt(), in.readUnsignedInt());
            default -> throw new AdminException(procedure > 0 && procedure <= LAST_PROCEDURE
                ? RpcErrors.build(ErrorCode.NO_SUPPORT, ErrorDomain.ADMIN.number(), "admin procedure " + procedure)
                : RpcErrors.unknownProcedure(procedure));
        };
    }

    private Consumer<XdrWriter> listServers(boolean needResults, long flags) {
        List<Server> names;
        synchronized (servers) {
            names = servers.keySet().stream().map(Server::new).toList();
        }
        List<Server> listed = needResults ? names : List.of();
        return out -> out.writeArray(listed, (w, s) -> s.write(w)).writeUnsignedInt(names.size());
    }

    private Consumer<XdrWriter> listClients(Server server, boolean needResults, long flags) {
        List<Client> clients = new ArrayList<>();
        for (ClientInfo info : server(server).clients()) {
            clients.add(asClient(server, info));
        }
        List<Client> listed = needResults ? clients : List.of();
        return out -> out.writeArray(listed, (w, c) -> c.write(w)).writeUnsignedInt(clients.size());
    }

    private Consumer<XdrWriter> clientLimits(Server server, long flags) {
        List<TypedParam> params = ClientLimitParams.of(server(server).clientLimits());
        return out -> TypedParam.writeAll(out, params);
    }

    private Consumer<XdrWriter> threadPool(Server server, long flags) {
        List<TypedParam> params = ThreadPoolParams.of(server(server).threadPool());
        return out -> TypedParam.writeAll(out, params);
    }

    private Consumer<XdrWriter> updateTlsFiles(Server server, long flags) {
        server(server);
        if (tls == null || !"libvirtd".equals(server.name())) {
            throw new AdminException(RpcErrors.build(ErrorCode.OPERATION_INVALID, ErrorDomain.ADMIN.number(),
                "server '" + server.name() + "' has no TLS listener"));
        }
        try {
            tls.reloadFiles();
        } catch (IOException e) {
            throw new AdminException(RpcErrors.build(ErrorCode.INTERNAL_ERROR, ErrorDomain.ADMIN.number(),
                e.getMessage()));
        }
        return VOID;
    }

    /** admin_connect_set_daemon_timeout_args { unsigned timeout; unsigned flags }: 0 turns the idle stop off. */
    private Consumer<XdrWriter> setDaemonTimeout(long seconds, long flags) {
        if (flags != 0) {
            throw new IllegalArgumentException("unsupported flags (0x" + Long.toHexString(flags)
                + ") in function adminConnectSetDaemonTimeout");
        }
        timeout.setTimeoutSeconds(seconds);
        return VOID;
    }

    private static Client asClient(Server server, ClientInfo info) {
        return new Client(server, info.id(), info.connectedAt(), info.transport());
    }

    private RpcServer server(Server server) {
        RpcServer target = servers.get(server.name());
        if (target == null) {
            throw new AdminException(RpcErrors.build(ErrorCode.NO_SERVER, ErrorDomain.ADMIN.number(),
                "No server named '" + server.name() + "'"));
        }
        return target;
    }

    private ClientInfo client(Server server, long id) {
        return server(server).clients().stream().filter(c -> c.id() == id).findFirst()
            .orElseThrow(() -> noClient(id));
    }

    private static AdminException noClient(long id) {
        return new AdminException(RpcErrors.build(ErrorCode.NO_CLIENT, ErrorDomain.ADMIN.number(),
            "No client with matching ID '" + id + "'"));
    }

    private static int count(String list) {
        return list.isBlank() ? 0 : list.trim().split("\\s+").length;
    }
}
