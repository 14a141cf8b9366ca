package org.jvirtd.rpc.wire;

/** virNetMessageStatus. */
public enum MessageStatus {
    OK, ERROR, CONTINUE;

    public int number() {
        return ordinal();
    }

    public static MessageStatus fromNumber(int number) {
        return number >= 0 && number < values().length ? values()[number] : null;
    }
}
