package org.jvirtd.rpc.dispatch;

/** libvirt's {@code @priority}: high calls may run on the priority workers when all others are busy. */
public enum Priority {
    HIGH, LOW
}
