package org.jvirtd.rpc.dispatch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.nodedev.NodeDeviceEvent;
import org.jvirtd.api.secret.SecretEvent;
import org.jvirtd.api.storage.PoolEvent;
import org.jvirtd.rpc.auth.ClientAuth;
import org.jvirtd.rpc.protocol.Events;

/**
 * What the protocol knows about one client, apart from its socket: the connection it opened, whether
 * it is read-only, its event registrations, its close callback and its open streams.
 */
public final class ClientState {
    /** VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE. */
    public static final int POOL_LIFECYCLE = 0;
    /** VIR_STORAGE_POOL_EVENT_ID_REFRESH. */
    public static final int POOL_REFRESH = 1;

    private final boolean readOnlySocket;
    private final boolean localSocket;
    private final Outbox outbox;
    private final ClientAuth auth;
    private final EventRegistrations events;
    private final NetworkEventRegistrations networkEvents;
    private final ObjectEventRegistrations<PoolEvent> poolEvents;
    private final ObjectEventRegistrations<SecretEvent> secretEvents;
    private final ObjectEventRegistrations<NodeDeviceEvent> nodeDeviceEvents;
    private final Map<Integer, StreamHandle> streams = new ConcurrentHashMap<>();
    private volatile Connection connection;
    private volatile boolean readOnly;
    private volatile boolean closeCallback;
    private AutoCloseable closeSubscription;

    public ClientState(boolean readOnlySocket, boolean localSocket, Outbox outbox) {
        this(readOnlySocket, localSocket, outbox, ClientAuth.none());
    }

    public ClientState(boolean readOnlySocket, boolean localSocket, Outbox outbox, ClientAuth auth) {
        this.readOnlySocket = readOnlySocket;
        this.auth = auth;
        this.localSocket = localSocket;
        this.outbox = outbox;
        this.readOnly = readOnlySocket;
        this.events = new EventRegistrations(outbox);
        this.networkEvents = new NetworkEventRegistrations(outbox);
        this.poolEvents = new ObjectEventRegistrations<>(outbox,
            event -> event.type() == PoolEvent.Type.REFRESHED ? POOL_REFRESH : POOL_LIFECYCLE,
            event -> event.pool().uuid(), Events::poolEvent);
        this.secretEvents = new ObjectEventRegistrations<>(outbox, SecretEvent::eventId,
            event -> event.secret().uuid(), Events::secretEvent);
        this.nodeDeviceEvents = new ObjectEventRegistrations<>(outbox, NodeDeviceEvent::eventId,
            NodeDeviceEvent::device, Events::nodeDeviceEvent);
    }

    public boolean readOnlySocket() {
        return readOnlySocket;
    }

    /** A unix socket: libvirt counts it as secure (virConnectIsSecure) without encryption. */
    public boolean localSocket() {
        return localSocket;
    }

    /** Where the client stands in authentication (auth_unix_rw, auth_tcp, ...). */
    public ClientAuth auth() {
        return auth;
    }

    public Outbox outbox() {
        return outbox;
    }

    public EventRegistrations events() {
        return events;
    }

    public NetworkEventRegistrations networkEvents() {
        return networkEvents;
    }

    public ObjectEventRegistrations<PoolEvent> poolEvents() {
        return poolEvents;
    }

    public ObjectEventRegistrations<SecretEvent> secretEvents() {
        return secretEvents;
    }

    public ObjectEventRegistrations<NodeDeviceEvent> nodeDeviceEvents() {
        return nodeDeviceEvents;
    }

    public Connection connection() {
        return connection;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /**
     * Installs the connection CONNECT_OPEN made.
     *
     * @return false when one is already open
     */
    public synchronized boolean open(Connection opened, boolean openedReadOnly) {
        if (connection != null) {
            return false;
        }
        connection = opened;
        readOnly = openedReadOnly;
        closeSubscription = opened.onClose(this::connectionClosed);
        return true;
    }

    /** Undoes an open the access manager refused: the client is back to having no connection. */
    public synchronized void withdrawOpen() {
        Connection open = connection;
        connection = null;
        readOnly = false;
        if (closeSubscription != null) {
            try {
                closeSubscription.close();
            } catch (Exception e) {
                // the connection goes anyway
            }
            closeSubscription = null;
        }
        if (open != null) {
            open.close();
        }
    }

    /** The driver closed the connection: tell a client that registered a close callback, as libvirtd does. */
    private void connectionClosed(int reason) {
        if (closeCallback) {
            outbox.send(Events.connectionClosed(reason));
        }
    }

    public boolean closeCallback() {
        return closeCallback;
    }

    public void closeCallback(boolean registered) {
        closeCallback = registered;
    }

    /** The streams of this client, by the serial of the call that opened each. */
    public Map<Integer, StreamHandle> streams() {
        return streams;
    }

    /** Releases everything when the socket goes away: events, streams, the driver connection. */
    public synchronized void release() {
        auth.release();
        events.closeAll();
        networkEvents.closeAll();
        poolEvents.closeAll();
        secretEvents.closeAll();
        nodeDeviceEvents.closeAll();
        for (StreamHandle stream : streams.values()) {
            stream.abort();
        }
        streams.clear();
        Connection open = connection;
        connection = null;
        if (closeSubscription != null) {
            try {
                closeSubscription.close();
            } catch (Exception e) {
                // the connection is being closed anyway
            }
            closeSubscription = null;
        }
        if (open != null) {
            open.close();
        }
    }
}
