package org.jvirtd.api.domain;

/**
 * What virDomainGetInfo reports: state, memory in KiB, vCPU count and CPU time in nanoseconds.
 */
public record DomainInfo(DomainState state, long maxMemoryKiB, long memoryKiB, int vcpus, long cpuTimeNanos) {
}
