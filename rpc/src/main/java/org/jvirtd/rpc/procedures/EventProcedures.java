package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_ARGS;
import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_RET;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.rpc.dispatch.Call;
import org.jvirtd.rpc.dispatch.EventRegistrations;
import org.jvirtd.rpc.dispatch.EventRegistrations.Registration;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.Types;

/**
 * Domain event registration, callback style (316/317, one callback id per registration), the
 * legacy "any" style (167/168, one per event id) and the oldest, lifecycle-only style (105/106) that
 * libvirt-python's domainEventRegister and old clients use. Callback ids come from one daemon-wide counter, as
 * libvirtd's do.
 */
public final class EventProcedures {
    /** VIR_DOMAIN_EVENT_ID_LAST in libvirt 9.0. */
    static final int DOMAIN_EVENT_ID_LAST = 27;

    private final AtomicInteger callbackIds;

    /** @param callbackIds the daemon-wide counter, shared with the other event families */
    public EventProcedures(AtomicInteger callbackIds) {
        this.callbackIds = callbackIds;
    }

    record CallbackRegister(int eventId, DomainRef dom) {
    }

    public void bindTo(ProcedureTable table) {
        table.bind(RemoteProcedure.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
            in -> new CallbackRegister(in.readInt(), Types.readOptionalDomain(in)), Types::writeInt,
            this::registerCallback);
        table.bind(RemoteProcedure.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, in -> in.readInt(), NO_RET,
            (call, callbackId) -> {
                if (!call.client().events().remove(callbackId)) {
                    throw VirtErrors.internal(ErrorDomain.RPC, "domain event callback " + callbackId
                        + " not registered");
                }
                return null;
            });
        table.bind(RemoteProcedure.CONNECT_DOMAIN_EVENT_REGISTER_ANY, in -> in.readInt(), NO_RET,
            this::registerLegacy);
        table.bind(RemoteProcedure.CONNECT_DOMAIN_EVENT_DEREGISTER_ANY, in -> in.readInt(), NO_RET,
            (call, eventId) -> {
                EventRegistrations events = call.client().events();
                Registration legacy = events.legacy(eventId);
                if (legacy == null) {
                    throw VirtErrors.internal(ErrorDomain.RPC, "domain event " + eventId + " not registered");
                }
                events.remove(legacy.callbackId());
                return null;
            });
        bindLifecycleOnly(table);
    }

    /**
     * virConnectDomainEventRegister: the legacy lifecycle callback. Its reply's cb_registered is left 0 by
     * libvirtd; the client's remote driver registers once however many local callbacks it has.
     */
    private void bindLifecycleOnly(ProcedureTable table) {
        table.bind(RemoteProcedure.CONNECT_DOMAIN_EVENT_REGISTER, NO_ARGS, Types::writeInt, (call, none) -> {
            registerLegacy(call, EventRegistrations.LIFECYCLE);
            return 0;
        });
        table.bind(RemoteProcedure.CONNECT_DOMAIN_EVENT_DEREGISTER, NO_ARGS, Types::writeInt, (call, none) -> {
            EventRegistrations events = call.client().events();
            Registration legacy = events.legacy(EventRegistrations.LIFECYCLE);
            if (legacy == null) {
                throw VirtErrors.internal(ErrorDomain.RPC, "domain event " + EventRegistrations.LIFECYCLE
                    + " not registered");
            }
            events.remove(legacy.callbackId());
            return 0;
        });
    }

    private Integer registerCallback(Call call, CallbackRegister args) {
        checkEventId(args.eventId());
        // the domain only filters events: libvirtd does not look it up, so one not (yet) defined is fine
        UUID filter = args.dom() == null ? null : args.dom().uuid();
        int callbackId = callbackIds.getAndIncrement();
        call.client().events().add(call.connection(), new Registration(callbackId, args.eventId(), filter, false));
        return callbackId;
    }

    private Void registerLegacy(Call call, Integer eventId) {
        checkEventId(eventId);
        EventRegistrations events = call.client().events();
        if (events.legacy(eventId) != null) {
            throw VirtErrors.operationInvalid(ErrorDomain.RPC, "domain event " + eventId + " already registered");
        }
        events.add(call.connection(), new Registration(callbackIds.getAndIncrement(), eventId, null, true));
        return null;
    }

    private static void checkEventId(int eventId) {
        if (eventId < 0 || eventId >= DOMAIN_EVENT_ID_LAST) {
            throw VirtErrors.internal(ErrorDomain.RPC, "unsupported event ID " + eventId);
        }
    }
}
