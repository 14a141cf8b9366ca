package org.jvirtd.api.domain;

import java.util.BitSet;

/**
 * virVcpuInfo of a running guest's vCPU, with its affinity: the host CPUs its thread may run on.
 * {@code state} is virVcpuState (1 running); {@code cpu} the host CPU it last ran on.
 */
public record VcpuInfo(int number, int state, long cpuTimeNanos, int cpu, BitSet affinity) {
}
