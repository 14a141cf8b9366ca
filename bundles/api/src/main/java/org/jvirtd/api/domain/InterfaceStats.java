package org.jvirtd.api.domain;

/** virDomainInterfaceStatsStruct: an interface's counters as the guest sees them (-1 where unknown). */
public record InterfaceStats(long rxBytes, long rxPackets, long rxErrs, long rxDrop, long txBytes, long txPackets,
                             long txErrs, long txDrop) {
}
