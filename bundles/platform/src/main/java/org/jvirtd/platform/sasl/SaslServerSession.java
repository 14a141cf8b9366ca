package org.jvirtd.platform.sasl;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * One client's SASL exchange on the server, and afterwards the security layer it negotiated: encode what
 * goes to the client, decode what comes from it. The calls are serialised on the session, as one
 * sasl_conn_t must not be used from two threads at once.
 */
public final class SaslServerSession implements AutoCloseable {
    /** What the client may pick from: libvirt's secprops maxbufsize. */
    private static final int MAX_BUFFER = 8192;

    private final CyrusSasl sasl;
    private Pointer conn;

    /**
     * One round of the exchange.
     *
     * @param output the server's challenge or success data; null (no data) differs from empty in SASL
     */
    public record Step(boolean complete, byte[] output) {
    }

    SaslServerSession(CyrusSasl sasl, Pointer conn) {
        this.sasl = sasl;
        this.conn = conn;
    }

    /**
     * The SSF the client's channel has already (TLS key bits, 0 for none) and how strong the
     * mechanism must be.
     *
     * @param secureChannel TLS or a unix socket: any mechanism and no layer of its own; otherwise at least
     *                      {@code minSsf} bits from the mechanism's layer, no anonymous and no plaintext
     *                      passwords
     */
    public synchronized void secure(int externalSsf, boolean secureChannel, int minSsf) throws SaslException {
        if (externalSsf > 0) {
            Memory ssf = new Memory(4);
            ssf.setInt(0, externalSsf);
            check(sasl.sasl_setprop(live(), CyrusSasl.SASL_SSF_EXTERNAL, ssf), "cannot set external SSF");
        }
        // sasl_security_properties_t: min_ssf, max_ssf, maxbufsize, security_flags, two pointers
        Memory props = new Memory(32);
        props.clear();
        props.setInt(0, secureChannel ? 0 : minSsf);
        props.setInt(4, secureChannel ? 0 : 100000);
        props.setInt(8, MAX_BUFFER);
        props.setInt(12, secureChannel ? 0 : CyrusSasl.SASL_SEC_NOANONYMOUS | CyrusSasl.SASL_SEC_NOPLAINTEXT);
        check(sasl.sasl_setprop(live(), CyrusSasl.SASL_SEC_PROPS, props), "cannot set security props");
    }

    /** The mechanisms on offer, comma separated (what REMOTE_PROC_AUTH_SASL_INIT answers). */
    public synchronized String mechanisms() throws SaslException {
        PointerByReference result = new PointerByReference();
        IntByReference length = new IntByReference();
        IntByReference count = new IntByReference();
        check(sasl.sasl_listmech(live(), null, "", ",", "", result, length, count),
            "cannot list SASL mechanisms");
        return result.getValue().getString(0);
    }

    /** sasl_server_start with the client's mechanism and initial response (null when it sent none). */
    public synchronized Step start(String mechanism, byte[] clientIn) throws SaslException {
        PointerByReference out = new PointerByReference();
        IntByReference outLength = new IntByReference();
        Memory in = toNative(clientIn);
        int rc = sasl.sasl_server_start(live(), mechanism, in, clientIn == null ? 0 : clientIn.length, out,
            outLength);
        return step(rc, out, outLength, "Failed to start SASL negotiation");
    }

    /** sasl_server_step with the client's next response. */
    public synchronized Step step(byte[] clientIn) throws SaslException {
        PointerByReference out = new PointerByReference();
        IntByReference outLength = new IntByReference();
        Memory in = toNative(clientIn);
        int rc = sasl.sasl_server_step(live(), in, clientIn == null ? 0 : clientIn.length, out, outLength);
        return step(rc, out, outLength, "Failed to step SASL negotiation");
    }

    private Step step(int rc, PointerByReference out, IntByReference outLength, String what) throws SaslException {
        if (rc != CyrusSasl.SASL_OK && rc != CyrusSasl.SASL_CONTINUE) {
            throw new SaslException(rc, what + ": " + rc + " (" + sasl.sasl_errdetail(conn) + ")");
        }
        Pointer data = out.getValue();
        byte[] output = data == null ? null : data.getByteArray(0, outLength.getValue());
        return new Step(rc == CyrusSasl.SASL_OK, output);
    }

    /** The negotiated security strength in bits; 0 when the mechanism protects nothing. */
    public synchronized int ssf() throws SaslException {
        PointerByReference value = new PointerByReference();
        check(sasl.sasl_getprop(live(), CyrusSasl.SASL_SSF, value), "cannot query SASL ssf on connection");
        return value.getValue().getInt(0);
    }

    /** Whom the client proved to be (SASL_USERNAME), null when the library does not say. */
    public synchronized String username() throws SaslException {
        PointerByReference value = new PointerByReference();
        check(sasl.sasl_getprop(live(), CyrusSasl.SASL_USERNAME, value), "cannot query SASL username");
        return value.getValue() == null ? null : value.getValue().getString(0);
    }

    /** The most plaintext one {@link #encode} call takes. */
    public synchronized int maxOutput() throws SaslException {
        PointerByReference value = new PointerByReference();
        check(sasl.sasl_getprop(live(), CyrusSasl.SASL_MAXOUTBUF, value), "cannot get security props");
        return value.getValue().getInt(0);
    }

    /** Protects up to {@link #maxOutput} bytes for the client. */
    public synchronized byte[] encode(byte[] data, int offset, int length) throws SaslException {
        return code(true, data, offset, length);
    }

    /**
     * Unwraps what came from the client; the library keeps a partial record until the rest arrives, so
     * the answer may be empty.
     */
    public synchronized byte[] decode(byte[] data, int offset, int length) throws SaslException {
        return code(false, data, offset, length);
    }

    private byte[] code(boolean encode, byte[] data, int offset, int length) throws SaslException {
        Memory in = new Memory(Math.max(1, length));
        in.write(0, data, offset, length);
        PointerByReference out = new PointerByReference();
        IntByReference outLength = new IntByReference();
        int rc = encode ? sasl.sasl_encode(live(), in, length, out, outLength)
            : sasl.sasl_decode(live(), in, length, out, outLength);
        if (rc != CyrusSasl.SASL_OK) {
            throw new SaslException(rc, (encode ? "failed to encode SASL data: " : "failed to decode SASL data: ")
                + rc + " (" + sasl.sasl_errdetail(conn) + ")");
        }
        Pointer result = out.getValue();
        return result == null || outLength.getValue() == 0 ? new byte[0]
            : result.getByteArray(0, outLength.getValue());
    }

    @Override
    public synchronized void close() {
        if (conn != null) {
            sasl.sasl_dispose(new PointerByReference(conn));
            conn = null;
        }
    }

    private Pointer live() throws SaslException {
        if (conn == null) {
            throw new SaslException(-1, "SASL session closed");
        }
        return conn;
    }

    private static Memory toNative(byte[] data) {
        if (data == null) {
            return null;
        }
        Memory memory = new Memory(Math.max(1, data.length));
        if (data.length > 0) {
            memory.write(0, data, 0, data.length);
        }
        return memory;
    }

    private void check(int rc, String what) throws SaslException {
        if (rc != CyrusSasl.SASL_OK) {
            throw new SaslException(rc, what + ": " + rc + " (" + sasl.sasl_errdetail(conn) + ")");
        }
    }
}
