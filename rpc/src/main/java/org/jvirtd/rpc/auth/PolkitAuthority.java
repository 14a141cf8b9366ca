package org.jvirtd.rpc.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.platform.net.UnixPeer;

/**
 * Asks polkitd whether a client process may take an action, through pkcheck(1): it calls CheckAuthorization
 * on the system bus (DBUS_SYSTEM_BUS_ADDRESS or the standard socket) for the process named by pid, start
 * time and uid, with interaction allowed, so polkitd's rules files decide. pkcheck's exit status carries
 * the answer, which becomes libvirt's polkit errors.
 */
public final class PolkitAuthority {
    private static final System.Logger LOG = System.getLogger(PolkitAuthority.class.getName());
    private static final int AUTHORIZED = 0;
    private static final int NOT_AUTHORIZED = 1;
    private static final int CHALLENGE = 2;
    private static final int DISMISSED = 3;
    private static final long TIMEOUT_SECONDS = 30;

    private final String pkcheck;
    private final String busAddress;

    /**
     * @param busAddress the D-Bus address of the system bus polkitd serves on, null for the process's
     *                   (DBUS_SYSTEM_BUS_ADDRESS, else /run/dbus/system_bus_socket)
     */
    public PolkitAuthority(String pkcheck, String busAddress) {
        this.pkcheck = pkcheck;
        this.busAddress = busAddress;
    }

    /** pkcheck from PATH (Debian's polkitd package installs it as /usr/bin/pkcheck) on the system bus. */
    public static PolkitAuthority system() {
        return new PolkitAuthority("pkcheck", null);
    }

    /**
     * @throws VirtException as libvirt's polkit check reports a refusal: "access denied by policy", no
     *                       agent to ask the user, or the user dismissed the question
     */
    public void check(String action, UnixPeer peer) {
        List<String> command = List.of(pkcheck, "--action-id", action, "--process",
            peer.pid() + "," + peer.startTime() + "," + peer.uid(), "--allow-user-interaction");
        int status;
        String output;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (busAddress != null) {
                builder.environment().put("DBUS_SYSTEM_BUS_ADDRESS", busAddress);
            }
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] bytes = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw failed("pkcheck did not answer within " + TIMEOUT_SECONDS + " s");
            }
            status = process.exitValue();
            output = new String(bytes, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw failed("cannot run " + pkcheck + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("interrupted while asking polkit");
        }
        switch (status) {
            case AUTHORIZED -> LOG.log(System.Logger.Level.INFO, "Policy allowed action {0} from pid {1}, uid {2}",
                action, peer.pid(), peer.uid());
            case NOT_AUTHORIZED -> throw new VirtException(ErrorCode.AUTH_FAILED, ErrorDomain.POLKIT,
                "access denied by policy");
            case CHALLENGE -> throw new VirtException(ErrorCode.AUTH_UNAVAILABLE, ErrorDomain.POLKIT,
                "no polkit agent available to authenticate action '" + action + "'");
            case DISMISSED -> throw new VirtException(ErrorCode.AUTH_CANCELLED, ErrorDomain.POLKIT,
                "user cancelled authentication process");
            default -> throw failed("pkcheck failed with status " + status + ": " + output);
        }
    }

    private static VirtException failed(String why) {
        LOG.log(System.Logger.Level.WARNING, "polkit check failed: {0}", why);
        return new VirtException(ErrorCode.AUTH_FAILED, ErrorDomain.POLKIT, why);
    }
}
