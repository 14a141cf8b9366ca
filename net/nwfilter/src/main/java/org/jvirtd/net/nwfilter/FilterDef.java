package org.jvirtd.net.nwfilter;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A network filter as libvirt's filter language describes it: name, UUID, the chain its rules go in with the
 * chain's priority, and its entries (rules and references to other filters) in document order.
 */
record FilterDef(String name, UUID uuid, String chain, int priority, List<Entry> entries) {
    /** A rule or a reference to another filter. */
    sealed interface Entry permits Rule, FilterRef {
    }

    /**
     * A rule: what it does (accept, drop, reject, return, continue), for which direction (in: to the guest, out:
     * from it, inout), its priority in the chain, whether connection state is matched, and its protocol match
     * (null for a rule that matches everything).
     */
    record Rule(String action, String direction, int priority, boolean statematch, Match match) implements Entry {
    }

    /** A protocol element with its attributes in libvirt's order, values normalized. */
    record Match(String protocol, Map<String, String> attributes) {
    }

    /** A reference to another filter, with the variables it passes (name to values, sorted by name). */
    record FilterRef(String filter, List<Parameter> parameters) implements Entry {
    }

    record Parameter(String name, String value) {
    }

    FilterDef withUuid(UUID id) {
        return new FilterDef(name, id, chain, priority, entries);
    }
}
