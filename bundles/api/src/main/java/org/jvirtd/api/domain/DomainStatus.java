package org.jvirtd.api.domain;

/**
 * A domain's state with its reason, as virDomainGetState reports them.
 */
public record DomainStatus(DomainState state, int reason) {
    public String label() {
        return state.label() + " (" + StateReason.label(state, reason) + ")";
    }
}
