package org.jvirtd.rpc.xdr;

/** Bytes that are not valid XDR for the expected type, or break one of the protocol's size bounds. */
public class XdrException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public XdrException(String message) {
        super(message);
    }
}
