package org.jvirtd.api.event;

import org.jvirtd.api.domain.DomainRef;

/**
 * VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE: the guest agent connected (state 1) or disconnected (2), because the
 * domain started (reason 1) or the agent's channel changed (2).
 */
public record AgentLifecycleEvent(String driver, DomainRef domain, int state, int reason) {
    public static final int CONNECTED = 1;
    public static final int DISCONNECTED = 2;
    public static final int DOMAIN_STARTED = 1;
    public static final int CHANNEL = 2;

    /** The line {@code virsh event} prints for this event, without the timestamp. */
    public String describe() {
        return "event 'agent-lifecycle' for domain '" + domain.name() + "': state: '"
            + (state == CONNECTED ? "connected" : state == DISCONNECTED ? "disconnected" : "unknown")
            + "' reason: '" + (reason == DOMAIN_STARTED ? "domain started" : reason == CHANNEL ? "channel event"
            : "unknown") + "'";
    }
}
