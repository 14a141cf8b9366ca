package org.jvirtd.rpc.dispatch;

/** What a read-only connection may do with a procedure (the public API's virCheckReadOnly). */
public enum ReadOnlyRule {
    /** Allowed read-only. */
    OK,
    /** Refused with VIR_ERR_OPERATION_DENIED on a read-only connection. */
    REJECT,
    /** Refused only with some flags; the handler decides. */
    CONDITIONAL,
    /** Not an API call (authentication): no check. */
    UNCHECKED
}
