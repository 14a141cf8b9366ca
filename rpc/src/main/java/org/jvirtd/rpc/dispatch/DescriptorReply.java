package org.jvirtd.rpc.dispatch;

/**
 * What a handler returns when its answer is descriptors (virDomainOpenGraphicsFD): the dispatcher sends a
 * REPLY_WITH_FDS whose payload is their number, followed on the socket by the descriptors, which it then
 * closes (also when the connection cannot carry them).
 */
public record DescriptorReply(int[] fds) {
}
