package org.jvirtd.rpc.server;

/**
 * What the admin interface tells about one connected client (virt-admin client-list and client-info).
 *
 * @param id the server's number for the client, from 1
 * @param connectedAt seconds since the epoch
 * @param transport {@link Transport#UNIX}, TCP or TLS
 * @param address "127.0.0.1;40312" for TCP and TLS peers, the socket path for unix clients
 * @param unixUser the peer's user name on a unix socket (SO_PEERCRED), else null
 * @param unixGroup the peer's primary group name on a unix socket, else null
 * @param x509Name the client certificate's DN on TLS, else null
 */
public record ClientInfo(long id, long connectedAt, int transport, boolean readOnly, String address,
                         String unixUser, String unixGroup, String x509Name) {
}
