package org.jvirtd.rpc.auth;

import java.io.IOException;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.platform.dbus.PolkitAuthorization;
import org.jvirtd.platform.net.UnixPeer;

/**
 * Asks polkitd whether a client process may take an action: CheckAuthorization on the system bus for the
 * process named by pid, start time and uid, with interaction allowed, so polkitd's rules files decide.
 * Its answer becomes libvirt's polkit errors.
 */
public final class PolkitAuthority {
    private static final System.Logger LOG = System.getLogger(PolkitAuthority.class.getName());

    private final String busAddress;

    /**
     * @param busAddress the D-Bus address of the system bus polkitd serves on, null for the standard one
     *                   (DBUS_SYSTEM_BUS_ADDRESS, else /run/dbus/system_bus_socket)
     */
    public PolkitAuthority(String busAddress) {
        this.busAddress = busAddress;
    }

    /** polkitd on the system bus. */
    public static PolkitAuthority system() {
        return new PolkitAuthority(null);
    }

    /**
     * @throws VirtException as libvirt's polkit check reports a refusal: "access denied by policy", no
     *                       agent to ask the user, the user dismissed the question, or polkit unreachable
     */
    public void check(String action, UnixPeer peer) {
        PolkitAuthorization.Result result;
        try {
            result = PolkitAuthorization.check(busAddress, action, peer.pid(), peer.startTime(), peer.uid());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "polkit check failed: {0}", e.getMessage());
            throw new VirtException(ErrorCode.AUTH_FAILED, ErrorDomain.POLKIT, e.getMessage());
        }
        if (result.authorized()) {
            LOG.log(System.Logger.Level.INFO, "Policy allowed action {0} from pid {1}, uid {2}", action,
                String.valueOf(peer.pid()), String.valueOf(peer.uid()));
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "Policy denied action {0} from pid {1}, uid {2}", action,
            String.valueOf(peer.pid()), String.valueOf(peer.uid()));
        if (result.dismissed()) {
            throw new VirtException(ErrorCode.AUTH_CANCELLED, ErrorDomain.POLKIT,
                "user cancelled authentication process");
        }
        if (result.challenge()) {
            throw new VirtException(ErrorCode.AUTH_UNAVAILABLE, ErrorDomain.POLKIT,
                "no polkit agent available to authenticate action '" + action + "'");
        }
        throw new VirtException(ErrorCode.AUTH_FAILED, ErrorDomain.POLKIT, "access denied by policy");
    }
}
