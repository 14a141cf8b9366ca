package org.jvirtd.driver.qemu.internal.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.driver.qemu.internal.qmp.AgentClient;

/**
 * A running guest's {@code org.qemu.guest_agent.0} channel: the agent client on its socket once the guest has
 * the port open, libvirt's refusals otherwise ("not configured" without the channel, "not connected" while
 * no agent listens in the guest).
 */
public final class GuestAgentChannel {
    public static final String NAME = "org.qemu.guest_agent.0";
    /** How long a command waits when the caller gives no timeout (libvirt blocks; this bounds a dead agent). */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private GuestAgentChannel() {
    }

    /** The client, or libvirt's error when the guest has no agent channel or no agent on it. */
    public static AgentClient open(QemuRun run, GuestDef def) {
        List<GuestDef.Chardev> channels = def.devices().channels();
        for (int i = 0; i < channels.size(); i++) {
            GuestDef.Chardev channel = channels.get(i);
            if ("virtio".equals(channel.targetType()) && NAME.equals(channel.targetName())
                && "unix".equals(channel.type())) {
                if (!run.portOpen("channel" + i)) {
                    throw new VirtException(ErrorCode.AGENT_UNRESPONSIVE, ErrorDomain.QEMU,
                        "QEMU guest agent is not connected");
                }
                return run.agent(socket(run, channel));
            }
        }
        throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.QEMU, "QEMU guest agent is not configured");
    }

    /** Whether the guest has an agent channel with the agent listening on it. */
    public static boolean connected(QemuRun run, GuestDef def) {
        List<GuestDef.Chardev> channels = def.devices().channels();
        for (int i = 0; i < channels.size(); i++) {
            if (NAME.equals(channels.get(i).targetName()) && run.portOpen("channel" + i)) {
                return true;
            }
        }
        return false;
    }

    /** libvirt's timeout argument: positive seconds, or the default for -1 (block) and -2 (default). */
    public static Duration timeout(int seconds) {
        return seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_TIMEOUT;
    }

    /** The socket QEMU listens on: the live XML's source path (the launcher writes it there). */
    private static Path socket(QemuRun run, GuestDef.Chardev channel) {
        if (channel.path() == null) {
            throw new VirtException(ErrorCode.AGENT_UNRESPONSIVE, ErrorDomain.QEMU, "QEMU guest agent is not connected");
        }
        return Path.of(channel.path());
    }
}
