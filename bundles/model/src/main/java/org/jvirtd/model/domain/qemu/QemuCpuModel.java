package org.jvirtd.model.domain.qemu;

/**
 * A CPU model a QEMU binary offers for an accelerator: the name libvirt uses and the QOM type behind it.
 */
public record QemuCpuModel(String virtType, String name, String typeName) {
}
