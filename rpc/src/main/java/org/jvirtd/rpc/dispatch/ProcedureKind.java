package org.jvirtd.rpc.dispatch;

/** Whether clients call a procedure or the daemon sends it as an event message. */
public enum ProcedureKind {
    CALL, EVENT
}
