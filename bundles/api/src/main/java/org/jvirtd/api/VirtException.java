package org.jvirtd.api;

import java.util.Objects;

/**
 * A failure a client can see: libvirt's error code, error domain and message.
 *
 * <p>{@link #getMessage()} is the full text virsh prints after "error: ", composed the way
 * libvirt composes it from the code's prefix and a detail.
 */
public class VirtException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final ErrorDomain domain;
    private final String detail;
    private final boolean prefixed;

    public VirtException(ErrorCode code, ErrorDomain domain, String detail) {
        this(code, domain, detail, null);
    }

    public VirtException(ErrorCode code, ErrorDomain domain, String detail, Throwable cause) {
        this(code, domain, detail, cause, true);
    }

    private VirtException(ErrorCode code, ErrorDomain domain, String detail, Throwable cause, boolean prefixed) {
        super(prefixed ? Objects.requireNonNull(code).message(detail) : detail, cause);
        this.code = Objects.requireNonNull(code);
        this.domain = Objects.requireNonNull(domain);
        this.detail = detail;
        this.prefixed = prefixed;
    }

    /**
     * An error whose message is {@code message} as it stands, without the code's prefix: libvirt's argument
     * checks (virReportInvalidArg, and so virCheckFlags) report this way.
     */
    public static VirtException unprefixed(ErrorCode code, ErrorDomain domain, String message) {
        return new VirtException(code, domain, message, null, false);
    }

    /** False when the message is the detail alone (see {@link #unprefixed}). */
    public boolean prefixed() {
        return prefixed;
    }

    public ErrorCode code() {
        return code;
    }

    public ErrorDomain domain() {
        return domain;
    }

    /** The part after the code's prefix; what libvirt passes as str2 in an error reply. */
    public String detail() {
        return detail;
    }

    /** The same error reported from another domain (a driver's errors keep their code). */
    public VirtException inDomain(ErrorDomain other) {
        return other == domain ? this : new VirtException(code, other, detail, getCause(), prefixed);
    }
}
