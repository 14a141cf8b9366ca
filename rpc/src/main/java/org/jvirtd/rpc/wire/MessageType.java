package org.jvirtd.rpc.wire;

/** virNetMessageType. */
public enum MessageType {
    CALL, REPLY, MESSAGE, STREAM, CALL_WITH_FDS, REPLY_WITH_FDS, STREAM_HOLE;

    public int number() {
        return ordinal();
    }

    /** The type for a wire number, or null when it is none of libvirt's. */
    public static MessageType fromNumber(int number) {
        return number >= 0 && number < values().length ? values()[number] : null;
    }
}
