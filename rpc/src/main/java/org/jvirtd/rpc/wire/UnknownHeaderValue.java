package org.jvirtd.rpc.wire;

import org.jvirtd.rpc.xdr.XdrException;

/**
 * A header whose message type or status is none of libvirt's. The XDR enums are plain ints to libvirtd's
 * decoder, so such a packet does not end the connection: a packet of unknown type is dropped, and a call
 * with an unknown status is answered "Unexpected message status N". {@code call} is that call's header
 * (with the status it should have had, so a reply can be built), or null for a packet of unknown type.
 */
public final class UnknownHeaderValue extends XdrException {
    private static final long serialVersionUID = 1L;

    private final transient Header call;
    private final int statusNumber;

    UnknownHeaderValue(String message, Header call, int statusNumber) {
        super(message);
        this.call = call;
        this.statusNumber = statusNumber;
    }

    /** The call whose status is unknown, or null when the packet's type is unknown. */
    public Header call() {
        return call;
    }

    /** The status word the call carried. */
    public int statusNumber() {
        return statusNumber;
    }
}
