package org.jvirtd.model.nodedev;

/** A PCI address (domain:bus:slot.function). */
public record PciAddress(int domain, int bus, int slot, int function) {
    /** Parses sysfs's {@code 0000:00:02.0}. */
    public static PciAddress parse(String text) {
        String[] parts = text.split("[:.]");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a PCI address: " + text);
        }
        return new PciAddress(Integer.parseInt(parts[0], 16), Integer.parseInt(parts[1], 16),
            Integer.parseInt(parts[2], 16), Integer.parseInt(parts[3], 16));
    }
}
