package org.jvirtd.rpc.server;

/**
 * A server's client limits and counts as virt-admin server-clients-info shows them.
 *
 * @param maxAnonymous max_anonymous_clients: clients allowed to be still authenticating
 * @param anonymous clients still authenticating
 */
public record ClientLimits(long max, long connected, long maxAnonymous, long anonymous) {
}
