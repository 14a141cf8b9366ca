package org.jvirtd.rpc.auth;

import java.io.IOException;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.platform.net.UnixPeer;
import org.jvirtd.platform.sasl.SaslException;
import org.jvirtd.platform.sasl.SaslServerSession;

/**
 * Where one client stands in authentication, as libvirtd tracks it: the method its socket asks for, the
 * SASL exchange under way, whether it is done. Until it is, every procedure but AUTH_LIST and the
 * AUTH_SASL_* / AUTH_POLKIT ones is refused. A SASL mechanism that negotiated a security layer hands it
 * to the socket once the reply completing the exchange is written ({@link #takeLayer}).
 */
public final class ClientAuth {
    private static final System.Logger LOG = System.getLogger(ClientAuth.class.getName());
    /** REMOTE_AUTH_SASL_DATA_MAX. */
    public static final int SASL_DATA_MAX = 65536;

    /** How the socket reaches the client's process and TLS strength, asked only when needed. */
    public interface Channel {
        /** The peer of a unix socket. */
        UnixPeer unixPeer() throws IOException;

        /** The TLS cipher's key size in bits, 0 without TLS. */
        int tlsKeyBits();

        /** "address;port" of this end, null on unix. */
        String localAddress();

        /** "address;port" of the client, null on unix. */
        String remoteAddress();
    }

    private final ListenerAuth auth;
    private final boolean readOnly;
    private final boolean secure;
    private final Channel channel;
    private AuthMethod method;
    private volatile boolean complete;
    private SaslServerSession exchange;
    private SaslServerSession layer;
    private String identity;
    private volatile boolean layered;
    /** The unix peer once asked: the kernel names it at connect time, so it cannot change. */
    private volatile UnixPeer peer;

    /**
     * @param secure TLS or a unix socket: SASL needs no layer of its own there
     */
    public ClientAuth(ListenerAuth auth, boolean readOnly, boolean secure, Channel channel) {
        this.auth = auth;
        this.readOnly = readOnly;
        this.secure = secure;
        this.channel = channel;
        this.method = auth.method();
        this.complete = method == AuthMethod.NONE;
    }

    /** A client that needs no authentication (tests, the admin socket). */
    public static ClientAuth none() {
        return new ClientAuth(ListenerAuth.NONE, false, true, null);
    }

    public boolean complete() {
        return complete;
    }

    /** The SASL exchange left a security layer (of at least tcp_min_ssf bits on TCP) over the connection. */
    public boolean layered() {
        return layered;
    }

    /** Who the client authenticated as: the SASL username, or "pid:N,uid:N" after polkit; null otherwise. */
    public synchronized String identity() {
        return identity;
    }

    /**
     * AUTH_LIST: the method the client must use. A root client of a polkit socket needs none, as
     * libvirtd lets it through without asking polkit.
     */
    public synchronized int list() {
        if (method == AuthMethod.POLKIT && !complete) {
            try {
                UnixPeer peer = channel.unixPeer();
                if (peer.uid() == 0) {
                    LOG.log(System.Logger.Level.INFO, "Bypass polkit auth for privileged client pid {0}",
                        String.valueOf(peer.pid()));
                    method = AuthMethod.NONE;
                    complete = true;
                    identity = "pid:" + peer.pid() + ",uid:0";
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "no peer identity for the polkit bypass", e);
            }
        }
        return method.number();
    }

    /**
     * The process at the other end of a unix socket, as the kernel names it (the subject of per-call access
     * checks); null over TCP and TLS, where there is no such process.
     */
    public UnixPeer unixPeer() {
        if (channel == null) {
            return null;
        }
        UnixPeer known = peer;
        if (known != null) {
            return known;
        }
        try {
            peer = channel.unixPeer();
            return peer;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "no unix peer: {0}", e.getMessage());
            return null;
        }
    }

    /** AUTH_SASL_INIT: a new exchange, and the mechanisms the client may choose from. */
    public synchronized String saslInit() {
        if (method != AuthMethod.SASL || exchange != null || complete) {
            throw refused("client tried invalid SASL init request");
        }
        SaslServerSession session = null;
        try {
            session = auth.settings().sasl().newSession(AuthSettings.SASL_NAME, channel.localAddress(),
                channel.remoteAddress());
            session.secure(channel.tlsKeyBits(), secure, auth.settings().tcpMinSsf());
            String mechanisms = session.mechanisms();
            exchange = session;
            return mechanisms;
        } catch (SaslException e) {
            if (session != null) {
                session.close();
            }
            throw refused(e.getMessage());
        }
    }

    /** AUTH_SASL_START: the client's mechanism and first data (null when it sent none). */
    public synchronized SaslServerSession.Step saslStart(String mechanism, byte[] data) {
        if (method != AuthMethod.SASL || exchange == null) {
            throw refused("client tried invalid SASL start request");
        }
        try {
            return finishWhenComplete(exchange.start(mechanism, data));
        } catch (SaslException e) {
            throw failExchange(e.getMessage());
        }
    }

    /** AUTH_SASL_STEP: the client's next data. */
    public synchronized SaslServerSession.Step saslStep(byte[] data) {
        if (method != AuthMethod.SASL || exchange == null) {
            throw refused("client tried invalid SASL step request");
        }
        try {
            return finishWhenComplete(exchange.step(data));
        } catch (SaslException e) {
            throw failExchange(e.getMessage());
        }
    }

    private SaslServerSession.Step finishWhenComplete(SaslServerSession.Step step) throws SaslException {
        if (step.output() != null && step.output().length > SASL_DATA_MAX) {
            throw failExchange("sasl reply data too long " + step.output().length);
        }
        if (!step.complete()) {
            return step;
        }
        int ssf = exchange.ssf();
        if (!secure && ssf < auth.settings().tcpMinSsf()) {
            throw failExchange("negotiated SSF " + ssf + " was not strong enough");
        }
        String username = exchange.username();
        if (username == null || !auth.settings().saslUsers().allows(username)) {
            throw failExchange("SASL client " + username + " not allowed in sasl_allowed_username_list");
        }
        identity = username;
        if (ssf > 0) {
            layer = exchange;
            layered = true;
        } else {
            exchange.close();
        }
        exchange = null;
        complete = true;
        LOG.log(System.Logger.Level.INFO, "SASL client {0} authenticated (SSF {1})", username, ssf);
        return step;
    }

    /** AUTH_POLKIT: polkitd decides on org.libvirt.unix.manage, or .monitor on the read-only socket. */
    public synchronized void polkit() {
        if (method != AuthMethod.POLKIT) {
            throw refused("client tried invalid PolicyKit init request");
        }
        UnixPeer peer;
        try {
            peer = channel.unixPeer();
        } catch (IOException e) {
            throw refused(e.getMessage());
        }
        auth.settings().polkit().check(readOnly ? "org.libvirt.unix.monitor" : "org.libvirt.unix.manage", peer);
        identity = "pid:" + peer.pid() + ",uid:" + peer.uid();
        complete = true;
    }

    /**
     * The security layer the completed exchange negotiated, once: the socket encodes everything after
     * the reply that completed the exchange with it.
     */
    public synchronized SaslServerSession takeLayer() {
        SaslServerSession taken = layer;
        layer = null;
        return taken;
    }

    /** The client went away: releases an unfinished exchange. */
    public synchronized void release() {
        if (exchange != null) {
            exchange.close();
            exchange = null;
        }
        if (layer != null) {
            layer.close();
            layer = null;
        }
    }

    private VirtException failExchange(String why) {
        if (exchange != null) {
            exchange.close();
            exchange = null;
        }
        return refused(why);
    }

    /** What libvirtd tells the client whatever went wrong: "authentication failed". */
    private static VirtException refused(String why) {
        LOG.log(System.Logger.Level.WARNING, "authentication failed: {0}", why);
        return new VirtException(ErrorCode.AUTH_FAILED, ErrorDomain.RPC, "authentication failed");
    }
}
