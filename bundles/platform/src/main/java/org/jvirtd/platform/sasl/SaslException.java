package org.jvirtd.platform.sasl;

/** A Cyrus SASL call failed: its result code and the library's own explanation. */
public final class SaslException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int code;

    SaslException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** The SASL_* result (negative). */
    public int code() {
        return code;
    }
}
