package org.jvirtd.rpc.wire;

import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The payload of an error reply (remote_error = virNetMessageError): what the client library turns
 * into a virError. {@code dom} and {@code net} are always sent as NULL, as libvirtd does.
 */
public record RemoteError(int code, int domain, String message, int level, String str1, String str2,
                          String str3, int int1, int int2) {
    /** VIR_ERR_ERROR. */
    public static final int LEVEL_ERROR = 2;

    public void write(XdrWriter out) {
        out.writeInt(code).writeInt(domain);
        out.writeOptional(message, XdrWriter::writeString);
        out.writeInt(level);
        out.writeBool(false);
        out.writeOptional(str1, XdrWriter::writeString);
        out.writeOptional(str2, XdrWriter::writeString);
        out.writeOptional(str3, XdrWriter::writeString);
        out.writeInt(int1).writeInt(int2);
        out.writeBool(false);
    }

    /** Reads an error; a domain or network object in it is skipped (the daemon never sends one). */
    public static RemoteError read(XdrReader in) {
        int code = in.readInt();
        int domain = in.readInt();
        String message = in.readOptional(r -> r.readString(Protocol.STRING_MAX));
        int level = in.readInt();
        in.readOptional(r -> {
            r.readString(Protocol.STRING_MAX);
            r.readUuid();
            return r.readInt();
        });
        String str1 = in.readOptional(r -> r.readString(Protocol.STRING_MAX));
        String str2 = in.readOptional(r -> r.readString(Protocol.STRING_MAX));
        String str3 = in.readOptional(r -> r.readString(Protocol.STRING_MAX));
        int int1 = in.readInt();
        int int2 = in.readInt();
        in.readOptional(r -> {
            r.readString(Protocol.STRING_MAX);
            return r.readUuid();
        });
        return new RemoteError(code, domain, message, level, str1, str2, str3, int1, int2);
    }
}
