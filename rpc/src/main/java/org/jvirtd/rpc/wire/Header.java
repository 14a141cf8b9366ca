package org.jvirtd.rpc.wire;

import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/** The 24-byte header after the length word of every packet (virNetMessageHeader). */
public record Header(int program, int version, int procedure, MessageType type, int serial,
                     MessageStatus status) {

    /**
     * Reads a header.
     *
     * @throws UnknownHeaderValue when its type or status is none of libvirt's
     */
    public static Header read(XdrReader in) {
        int program = in.readInt();
        int version = in.readInt();
        int procedure = in.readInt();
        int typeNumber = in.readInt();
        int serial = in.readInt();
        int statusNumber = in.readInt();
        MessageType type = MessageType.fromNumber(typeNumber);
        MessageStatus status = MessageStatus.fromNumber(statusNumber);
        if (type == null) {
            throw new UnknownHeaderValue("unknown message type " + typeNumber, null, statusNumber);
        }
        if (status == null) {
            Header call = new Header(program, version, procedure, type, serial, MessageStatus.OK);
            throw new UnknownHeaderValue("unknown message status " + statusNumber, call, statusNumber);
        }
        return new Header(program, version, procedure, type, serial, status);
    }

    public void write(XdrWriter out) {
        out.writeInt(program).writeInt(version).writeInt(procedure).writeInt(type.number()).writeInt(serial)
            .writeInt(status.number());
    }

    /** The reply header for this call: same program, version, procedure and serial. */
    public Header reply(MessageStatus replyStatus) {
        return new Header(program, version, procedure, MessageType.REPLY, serial, replyStatus);
    }

    /** A stream packet of the call that opened the stream. */
    public Header stream(MessageStatus streamStatus) {
        return new Header(program, version, procedure, MessageType.STREAM, serial, streamStatus);
    }

    /** A STREAM_HOLE packet (always CONTINUE) of the call that opened the stream. */
    public Header streamHole() {
        return new Header(program, version, procedure, MessageType.STREAM_HOLE, serial, MessageStatus.CONTINUE);
    }
}
