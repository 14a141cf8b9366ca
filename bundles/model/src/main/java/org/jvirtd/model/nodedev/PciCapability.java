package org.jvirtd.model.nodedev;

import java.util.List;

import org.jvirtd.api.nodedev.NodeDeviceCapability;

/**
 * A PCI function: class, address, ids with their pci.ids names (null when unnamed), SR-IOV relations, IOMMU
 * group (null when the host has none), NUMA node (-1: none) and PCI Express facts (pcie false: plain PCI;
 * linkCap/linkStatus null when the device has no link).
 */
public record PciCapability(int pciClass, PciAddress address, int productId, String productName, int vendorId,
                            String vendorName, PciAddress physicalFunction, List<PciAddress> virtualFunctions,
                            int virtualFunctionsMax, Integer iommuGroup, List<PciAddress> iommuGroupDevices,
                            int numaNode, boolean pcie, PciExpressLink linkCap, PciExpressLink linkStatus)
    implements DeviceCapability {
    public PciCapability {
        virtualFunctions = virtualFunctions == null ? List.of() : List.copyOf(virtualFunctions);
        iommuGroupDevices = iommuGroupDevices == null ? List.of() : List.copyOf(iommuGroupDevices);
    }

    @Override
    public NodeDeviceCapability type() {
        return NodeDeviceCapability.PCI;
    }
}
