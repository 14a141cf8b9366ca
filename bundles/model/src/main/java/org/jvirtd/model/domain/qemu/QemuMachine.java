package org.jvirtd.model.domain.qemu;

/**
 * One machine type a QEMU binary offers for an accelerator ("kvm" or "tcg"), with its alias and default CPU type.
 *
 * @param virtType       "kvm" or "tcg"
 * @param name           the canonical machine name, for example pc-i440fx-8.0
 * @param alias          the short name it answers to (pc), or null
 * @param preferred      true for the machine QEMU picks when none is given
 * @param defaultCpuType the QOM type of the machine's default CPU (qemu64-x86_64-cpu), or null
 */
public record QemuMachine(String virtType, String name, String alias, boolean preferred, String defaultCpuType) {
}
