package org.jvirtd.rpc.access;

import java.io.IOException;
import java.util.Map;

import org.jvirtd.platform.dbus.PolkitAuthorization;
import org.jvirtd.platform.net.UnixPeer;

/**
 * access_drivers = [ "polkit" ]: polkitd decides each permission as the action {@code org.libvirt.api.OBJECT.PERM}
 * with the object's attributes as the action's details, without asking the user, as libvirt's polkit access
 * driver does. Root is permitted without asking (polkitd authorizes uid 0 for anything); a client that is not on
 * a unix socket has no process to ask about and is denied.
 */
public final class PolkitAccessDriver implements AccessDriver {
    private static final System.Logger LOG = System.getLogger(PolkitAccessDriver.class.getName());

    @Override
    public String name() {
        return "polkit";
    }

    @Override
    public boolean permits(UnixPeer subject, Permission permission, Map<String, String> attributes) {
        if (subject == null) {
            LOG.log(System.Logger.Level.DEBUG, "{0} denied: no UNIX process ID available", permission.actionId());
            return false;
        }
        if (subject.uid() == 0) {
            return true;
        }
        try {
            PolkitAuthorization.Result result = PolkitAuthorization.check(null, permission.actionId(), attributes,
                false, subject.pid(), subject.startTime(), subject.uid());
            LOG.log(System.Logger.Level.DEBUG, "polkit {0} {1} for pid {2}: {3}", permission.actionId(), attributes,
                String.valueOf(subject.pid()), result.authorized() ? "allowed" : "denied");
            return result.authorized();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "polkit check of {0} failed: {1}", permission.actionId(),
                e.getMessage());
            return false;
        }
    }
}
