package org.jvirtd.model.nodedev;

/**
 * A PCI Express link as the device's capability registers give it: speed as libvirt names it ("2.5", "5",
 * "8", "16", "32", "64"; null when unknown), width, and the port number (-1 for the link status, which has none).
 */
public record PciExpressLink(int port, String speed, int width) {
}
