/**
 * Per-call access control, as libvirt's access manager does it: which permissions each REMOTE procedure needs
 * on which object (a table from libvirt's @acl facts), asked of the configured access drivers (access_drivers:
 * "nop", "polkit") with libvirt's object attributes, and lists filtered to what the client may see.
 */
package org.jvirtd.rpc.access;
