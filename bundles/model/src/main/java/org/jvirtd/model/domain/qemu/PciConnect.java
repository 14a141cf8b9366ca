package org.jvirtd.model.domain.qemu;

/**
 * libvirt's PCI connection flags: what a device needs to plug into, and what a bus accepts.
 */
final class PciConnect {
    static final int PCI_DEVICE = 1;
    static final int PCIE_DEVICE = 1 << 1;
    static final int PCI_BRIDGE = 1 << 2;
    static final int DMI_TO_PCI_BRIDGE = 1 << 3;
    static final int PCIE_ROOT_PORT = 1 << 4;
    static final int SWITCH_UPSTREAM_PORT = 1 << 5;
    static final int SWITCH_DOWNSTREAM_PORT = 1 << 6;
    static final int PCI_EXPANDER_BUS = 1 << 7;
    static final int PCIE_EXPANDER_BUS = 1 << 8;
    static final int PCIE_TO_PCI_BRIDGE = 1 << 9;
    static final int TYPES_MASK = (1 << 10) - 1;
    static final int ENDPOINTS = PCI_DEVICE | PCIE_DEVICE;
    static final int AUTOASSIGN = 1 << 10;
    static final int HOTPLUGGABLE = 1 << 11;
    static final int AGGREGATE_SLOT = 1 << 12;
    static final int INTEGRATED = 1 << 13;

    private PciConnect() {
    }

    /** The connection a PCI controller of this model makes upstream (0 for the roots). */
    static int ofControllerModel(String model) {
        return switch (model == null ? "" : model) {
            case "pci-bridge" -> PCI_BRIDGE;
            case "pci-expander-bus" -> PCI_EXPANDER_BUS;
            case "pcie-expander-bus" -> PCIE_EXPANDER_BUS;
            case "dmi-to-pci-bridge" -> DMI_TO_PCI_BRIDGE;
            case "pcie-to-pci-bridge" -> PCIE_TO_PCI_BRIDGE;
            case "pcie-root-port" -> PCIE_ROOT_PORT | AGGREGATE_SLOT;
            case "pcie-switch-upstream-port" -> SWITCH_UPSTREAM_PORT;
            case "pcie-switch-downstream-port" -> SWITCH_DOWNSTREAM_PORT;
            default -> 0;
        };
    }
}
