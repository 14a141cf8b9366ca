package org.jvirtd.model.network;

/**
 * {@code <bandwidth>}: inbound and outbound QoS limits in kilobytes.
 */
public record Bandwidth(Rate inbound, Rate outbound) {
    /** One direction's average, peak, floor (inbound only) and burst. */
    public record Rate(Long average, Long peak, Long floor, Long burst) {
    }
}
