package org.jvirtd.model.storage;

import java.util.List;

/**
 * A pool's {@code <source>}: where its storage comes from.
 */
public record PoolSource(List<Host> hosts, List<Device> devices, String dir, Adapter adapter, String name,
                         String initiatorIqn, String format, Auth auth, String protocolVersion, String vendor,
                         String product) {
    public PoolSource {
        hosts = List.copyOf(hosts);
        devices = List.copyOf(devices);
    }

    /** {@code <host name port/>}. */
    public record Host(String name, Integer port) {
    }

    /** {@code <device path part_separator/>}. */
    public record Device(String path, Boolean partSeparator) {
    }

    /** {@code <auth type username><secret uuid|usage/></auth>}. */
    public record Auth(String type, String username, String secretUuid, String secretUsage) {
    }

    /**
     * {@code <adapter>}: a scsi_host by name or parent PCI address, or an fc_host by WWNN/WWPN.
     */
    public record Adapter(String type, String name, Integer uniqueId, PciAddress parentAddress, Boolean managed,
                          String parent, String parentWwnn, String parentWwpn, String parentFabricWwn,
                          String wwnn, String wwpn) {
    }

    /** The PCI address of a scsi_host's parent. */
    public record PciAddress(int domain, int bus, int slot, int function) {
    }
}
