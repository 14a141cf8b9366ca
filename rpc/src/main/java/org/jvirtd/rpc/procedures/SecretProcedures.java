package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_ARGS;
import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_RET;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Secrets;
import org.jvirtd.api.secret.SecretEvent;
import org.jvirtd.api.secret.SecretRef;
import org.jvirtd.api.secret.SecretUsageType;
import org.jvirtd.rpc.dispatch.Call;
import org.jvirtd.rpc.dispatch.ConnectionScope;
import org.jvirtd.rpc.dispatch.CurrentSecrets;
import org.jvirtd.rpc.dispatch.Handler;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The secret procedures, served by the Secrets service when the secret bundle is there; without it they
 * answer "not supported", as libvirtd without a secret driver does. Read-only connections are refused
 * define, undefine, set and get value by the procedure table.
 */
public final class SecretProcedures {
    /** REMOTE_SECRET_VALUE_MAX. */
    static final int SECRET_VALUE_MAX = 65536;
    private static final BiConsumer<XdrWriter, SecretRef> SECRET = Types::writeSecret;

    private final CurrentSecrets service;
    private final AtomicInteger callbackIds;

    public SecretProcedures(CurrentSecrets service, AtomicInteger callbackIds) {
        this.service = service;
        this.callbackIds = callbackIds;
    }

    record SecretArgs(SecretRef secret, int flags) {
        static SecretArgs read(XdrReader in) {
            return new SecretArgs(Types.readSecret(in), in.readInt());
        }
    }

    record XmlFlags(String xml, int flags) {
        static XmlFlags read(XdrReader in) {
            return new XmlFlags(Types.readString(in), in.readInt());
        }
    }

    /** remote_secret_set_value_args { secret; opaque value<REMOTE_SECRET_VALUE_MAX>; flags }. */
    record SetValue(SecretRef secret, byte[] value, int flags) {
        static SetValue read(XdrReader in) {
            return new SetValue(Types.readSecret(in), in.readOpaque(SECRET_VALUE_MAX), in.readInt());
        }
    }

    record Usage(int type, String id) {
        static Usage read(XdrReader in) {
            return new Usage(in.readInt(), Types.readString(in));
        }
    }

    record EventRegister(int eventId, SecretRef secret) {
        static EventRegister read(XdrReader in) {
            return new EventRegister(in.readInt(), in.readOptional(Types::readSecret));
        }
    }

    record ListResult(List<SecretRef> items, int count) {
    }

    private <A, R> void bind(ProcedureTable table, RemoteProcedure procedure, Function<XdrReader, A> args,
                             BiConsumer<XdrWriter, R> ret, Handler<A, R> handler) {
        table.bind(procedure, args, ret, ConnectionScope.SECONDARY, handler);
    }

    /** The Secrets service, or "not supported" for the API the call serves. */
    private Secrets secrets(Call call) {
        Secrets secrets = service.get();
        if (secrets == null) {
            throw VirtErrors.noSupport(RemoteProcedure.byNumber(call.header().procedure()).api());
        }
        return secrets;
    }

    public void bindTo(ProcedureTable table) {
        bind(table, RemoteProcedure.CONNECT_NUM_OF_SECRETS, NO_ARGS, Types::writeInt,
            (call, args) -> secrets(call).listAll(0).size());
        bind(table, RemoteProcedure.CONNECT_LIST_SECRETS, in -> in.readInt(),
            (XdrWriter out, List<String> uuids) -> out.writeArray(uuids, XdrWriter::writeString),
            (call, max) -> {
                if (max < 0 || max > Protocol.LIST_MAX) {
                    throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, "maxuuids > REMOTE_SECRET_LIST_MAX");
                }
                return secrets(call).listAll(0).stream().limit(max).map(s -> s.uuid().toString()).toList();
            });
        bind(table, RemoteProcedure.CONNECT_LIST_ALL_SECRETS, in -> new int[] {in.readInt(), in.readInt()},
            (XdrWriter out, ListResult result) -> {
                out.writeArray(result.items(), Types::writeSecret);
                out.writeInt(result.count());
            }, (call, args) -> {
                List<SecretRef> all = secrets(call).listAll(args[1]);
                if (all.size() > Protocol.LIST_MAX) {
                    throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC,
                        "Too many secrets '" + all.size() + "' for limit '" + Protocol.LIST_MAX + "'");
                }
                return new ListResult(args[0] != 0 ? all : List.of(), all.size());
            });
        bind(table, RemoteProcedure.SECRET_LOOKUP_BY_UUID, XdrReader::readUuid, SECRET,
            (call, uuid) -> secrets(call).lookupByUuid(uuid));
        bind(table, RemoteProcedure.SECRET_LOOKUP_BY_USAGE, Usage::read, SECRET, (call, usage) -> {
            SecretUsageType type = SecretUsageType.fromNumber(usage.type());
            if (type == null) {
                throw new VirtException(ErrorCode.NO_SECRET, ErrorDomain.SECRET, "no secret with matching usage '"
                    + usage.id() + "'");
            }
            return secrets(call).lookupByUsage(type, usage.id());
        });
        bind(table, RemoteProcedure.SECRET_DEFINE_XML, XmlFlags::read, SECRET,
            (call, args) -> secrets(call).define(args.xml(), args.flags()));
        bind(table, RemoteProcedure.SECRET_UNDEFINE, Types::readSecret, NO_RET, (call, secret) -> {
            secrets(call).undefine(secret);
            return null;
        });
        bind(table, RemoteProcedure.SECRET_GET_XML_DESC, SecretArgs::read, XdrWriter::writeString,
            (call, args) -> secrets(call).xml(args.secret(), args.flags()));
        bind(table, RemoteProcedure.SECRET_SET_VALUE, SetValue::read, NO_RET, (call, args) -> {
            if (args.value() == null || args.value().length == 0) {
                // libvirtd's XDR decoding makes an empty value a NULL pointer, which its public API refuses
                throw VirtErrors.badArgument(ErrorDomain.SECRET, "value in virSecretSetValue must not be NULL");
            }
            secrets(call).setValue(args.secret(), args.value(), args.flags());
            return null;
        });
        bind(table, RemoteProcedure.SECRET_GET_VALUE, SecretArgs::read, XdrWriter::writeOpaque,
            (call, args) -> secrets(call).value(args.secret(), args.flags()));
        bind(table, RemoteProcedure.CONNECT_SECRET_EVENT_REGISTER_ANY, EventRegister::read, Types::writeInt,
            this::registerEvents);
        bind(table, RemoteProcedure.CONNECT_SECRET_EVENT_DEREGISTER_ANY, in -> in.readInt(), NO_RET,
            (call, callbackId) -> {
                if (!call.client().secretEvents().remove(callbackId)) {
                    throw VirtErrors.internal(ErrorDomain.RPC, "secret event callback " + callbackId
                        + " not registered");
                }
                return null;
            });
    }

    private Integer registerEvents(Call call, EventRegister args) {
        secrets(call);
        if (args.eventId() < 0 || args.eventId() >= SecretEvent.EVENT_ID_LAST) {
            throw VirtErrors.internal(ErrorDomain.RPC, "unsupported secret event ID " + args.eventId());
        }
        int callbackId = callbackIds.getAndIncrement();
        call.client().secretEvents().add(listener -> service.subscribe(listener::accept), callbackId, args.eventId(),
            args.secret() == null ? null : args.secret().uuid());
        return callbackId;
    }
}
