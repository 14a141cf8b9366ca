package org.jvirtd.rpc.server;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;

import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.platform.conf.ConfFile;

/**
 * Who may open the unix sockets: their directory (unix_sock_dir), their group (unix_sock_group, by
 * default "libvirt" when a system daemon finds that group) and their modes (unix_sock_ro_perms 0777,
 * unix_sock_rw_perms 0770, unix_sock_admin_perms 0700). Members of the group connect read-write
 * through the group bits of libvirt-sock.
 */
final class SocketAccess {
    static final String DEFAULT_GROUP = "libvirt";

    private SocketAccess() {
    }

    static Path socketDir(ConfFile conf, DaemonPaths paths) {
        String dir = conf.string("unix_sock_dir", null);
        if (dir == null || dir.isEmpty()) {
            return paths.socketDir();
        }
        return paths.privileged() ? TlsFiles.underRoot(paths.configDir().getParent().getParent(), dir) : Path.of(dir);
    }

    /** The group for libvirt-sock and libvirt-sock-ro, or null to leave the daemon's own. */
    static String group(ConfFile conf, DaemonPaths paths) {
        String group = conf.string("unix_sock_group", null);
        if (group != null && !group.isEmpty()) {
            return group;
        }
        return paths.privileged() && groupExists(DEFAULT_GROUP) ? DEFAULT_GROUP : null;
    }

    static boolean groupExists(String name) {
        try {
            FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(name);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static Listener readWrite(ConfFile conf, DaemonPaths paths) {
        return Listener.unix(socketDir(conf, paths).resolve("libvirt-sock"), false,
            SocketModes.parse(conf, "unix_sock_rw_perms", "0770"), group(conf, paths));
    }

    static Listener readOnly(ConfFile conf, DaemonPaths paths) {
        return Listener.unix(socketDir(conf, paths).resolve("libvirt-sock-ro"), true,
            SocketModes.parse(conf, "unix_sock_ro_perms", "0777"), group(conf, paths));
    }

    /** libvirt-admin-sock keeps the daemon's group: only its owner (root) administers it by default. */
    static Listener admin(ConfFile conf, DaemonPaths paths) {
        return Listener.unix(socketDir(conf, paths).resolve("libvirt-admin-sock"), false,
            SocketModes.parse(conf, "unix_sock_admin_perms", "0700"), null);
    }
}
