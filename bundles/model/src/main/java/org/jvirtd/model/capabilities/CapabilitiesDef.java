package org.jvirtd.model.capabilities;

import java.util.List;
import java.util.UUID;

/**
 * Host capabilities ({@code <capabilities>}): the host and the guests each driver can run.
 */
public record CapabilitiesDef(UUID hostUuid, String hostArch, List<Guest> guests) {
    public CapabilitiesDef {
        guests = List.copyOf(guests);
    }

    /** One {@code <guest>}: an OS type on an architecture, with its emulator, machines and domain types. */
    public record Guest(String osType, String arch, int wordSize, String emulator, List<String> machines,
                        List<String> domainTypes) {
        public Guest {
            machines = List.copyOf(machines);
            domainTypes = List.copyOf(domainTypes);
        }
    }
}
