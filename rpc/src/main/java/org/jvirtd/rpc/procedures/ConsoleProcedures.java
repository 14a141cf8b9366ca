package org.jvirtd.rpc.procedures;

import org.jvirtd.api.domain.ConsoleStream;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.Screenshot;
import org.jvirtd.rpc.dispatch.DescriptorReply;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.Types;

/**
 * The streams of a running guest's devices: virDomainOpenConsole between the client and its console (see
 * {@link ConsoleRelay}), virDomainScreenshot from its screen; and virDomainOpenGraphicsFD, a descriptor connected to
 * its display server.
 */
public final class ConsoleProcedures {
    /** remote_domain_open_console_args { remote_nonnull_domain dom; remote_string dev_name; unsigned int flags; }. */
    record OpenArgs(DomainRef domain, String devName, int flags) {
    }

    /** remote_domain_screenshot_args { remote_nonnull_domain dom; unsigned int screen; unsigned int flags; }. */
    record ScreenArgs(DomainRef domain, int screen, int flags) {
    }

    public void bindTo(ProcedureTable table) {
        // the image goes as a download stream after the reply, which names its MIME type
        table.bind(RemoteProcedure.DOMAIN_SCREENSHOT, in -> new ScreenArgs(Types.readDomain(in), in.readInt(),
            in.readInt()), Types::writeOptionalString, (call, args) -> {
                Screenshot shot = call.connection().screenshot(args.domain(), args.screen(), args.flags());
                call.client().streams().put(call.header().serial(), new VolumeDownload(call.client(), call.header(),
                    java.nio.channels.Channels.newChannel(new java.io.ByteArrayInputStream(shot.image())), false));
                return shot.mimeType();
            });
        // remote_domain_open_channel_args { dom; remote_string name; unsigned int flags }: the same stream
        table.bind(RemoteProcedure.DOMAIN_OPEN_CHANNEL,
            in -> new OpenArgs(Types.readDomain(in), Types.readOptionalString(in), in.readInt()),
            ProcedureTable.NO_RET, (call, args) -> {
                ConsoleStream channel = call.connection().openChannel(args.domain(), args.devName(), args.flags());
                call.client().streams().put(call.header().serial(),
                    new ConsoleRelay(call.client(), call.header(), channel));
                return null;
            });
        // remote_domain_open_graphics_fd_args { dom; unsigned int idx; unsigned int flags }: the reply carries the fd
        table.bind(RemoteProcedure.DOMAIN_OPEN_GRAPHICS_FD,
            in -> new ScreenArgs(Types.readDomain(in), in.readInt(), in.readInt()), ProcedureTable.NO_RET,
            (call, args) -> new DescriptorReply(new int[] {
                call.connection().openGraphicsFd(args.domain(), args.screen(), args.flags())}));
        table.bind(RemoteProcedure.DOMAIN_OPEN_CONSOLE,
            in -> new OpenArgs(Types.readDomain(in), Types.readOptionalString(in), in.readInt()),
            ProcedureTable.NO_RET, (call, args) -> {
                ConsoleStream console = call.connection().openConsole(args.domain(), args.devName(), args.flags());
                call.client().streams().put(call.header().serial(),
                    new ConsoleRelay(call.client(), call.header(), console));
                return null;
            });
    }
}
