package org.jvirtd.model.domain.qemu;

/**
 * A GIC version a QEMU binary offers on ARM, in the host kernel (KVM) and/or emulated (TCG).
 */
public record QemuGicVersion(int version, boolean kernel, boolean emulated) {
}
