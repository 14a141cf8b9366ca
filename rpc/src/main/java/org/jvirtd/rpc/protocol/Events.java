package org.jvirtd.rpc.protocol;

import java.nio.ByteBuffer;

import org.jvirtd.api.event.AgentLifecycleEvent;
import org.jvirtd.api.event.BlockJobEvent;
import org.jvirtd.api.event.BlockThresholdEvent;
import org.jvirtd.api.event.DomainEvent;
import org.jvirtd.api.event.DomainMetadataChange;
import org.jvirtd.api.network.NetworkEvent;
import org.jvirtd.api.nodedev.NodeDeviceEvent;
import org.jvirtd.api.secret.SecretEvent;
import org.jvirtd.api.storage.PoolEvent;
import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.MessageType;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.Protocol;

/** Event MESSAGE packets as libvirtd sends them: REMOTE program, serial 1, status OK. */
public final class Events {
    /** REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE (legacy registrations). */
    public static final int DOMAIN_EVENT_LIFECYCLE = 107;
    /** REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE. */
    public static final int DOMAIN_EVENT_CALLBACK_LIFECYCLE = 318;
    /** REMOTE_PROC_DOMAIN_EVENT_CALLBACK_METADATA_CHANGE. */
    public static final int DOMAIN_EVENT_CALLBACK_METADATA_CHANGE = 379;
    /** REMOTE_PROC_DOMAIN_EVENT_BLOCK_JOB (legacy registrations). */
    public static final int DOMAIN_EVENT_BLOCK_JOB = 241;
    /** REMOTE_PROC_DOMAIN_EVENT_CALLBACK_BLOCK_JOB. */
    public static final int DOMAIN_EVENT_CALLBACK_BLOCK_JOB = 326;
    /** REMOTE_PROC_DOMAIN_EVENT_BLOCK_JOB_2 (both styles; legacy ones carry callback id -1). */
    public static final int DOMAIN_EVENT_BLOCK_JOB_2 = 339;
    /** REMOTE_PROC_DOMAIN_EVENT_CALLBACK_AGENT_LIFECYCLE (callback style only). */
    public static final int DOMAIN_EVENT_CALLBACK_AGENT_LIFECYCLE = 348;
    /** REMOTE_PROC_DOMAIN_EVENT_BLOCK_THRESHOLD (both styles). */
    public static final int DOMAIN_EVENT_BLOCK_THRESHOLD = 385;
    /** REMOTE_PROC_DOMAIN_EVENT_DEVICE_REMOVED (legacy registrations). */
    public static final int DOMAIN_EVENT_DEVICE_REMOVED = 311;
    /** REMOTE_PROC_DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED. */
    public static final int DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED = 333;
    /** REMOTE_PROC_DOMAIN_EVENT_BALLOON_CHANGE (legacy registrations). */
    public static final int DOMAIN_EVENT_BALLOON_CHANGE = 276;
    /** REMOTE_PROC_DOMAIN_EVENT_CALLBACK_BALLOON_CHANGE. */
    public static final int DOMAIN_EVENT_CALLBACK_BALLOON_CHANGE = 331;
    /** REMOTE_PROC_DOMAIN_EVENT_CALLBACK_TUNABLE (callback style only). */
    public static final int DOMAIN_EVENT_CALLBACK_TUNABLE = 346;
    /** REMOTE_PROC_DOMAIN_EVENT_CALLBACK_JOB_COMPLETED (callback style only). */
    public static final int DOMAIN_EVENT_CALLBACK_JOB_COMPLETED = 363;
    /** REMOTE_PROC_NETWORK_EVENT_LIFECYCLE. */
    public static final int NETWORK_EVENT_LIFECYCLE = 315;
    /** REMOTE_PROC_STORAGE_POOL_EVENT_LIFECYCLE. */
    public static final int STORAGE_POOL_EVENT_LIFECYCLE = 370;
    /** REMOTE_PROC_STORAGE_POOL_EVENT_REFRESH. */
    public static final int STORAGE_POOL_EVENT_REFRESH = 373;
    /** REMOTE_PROC_NODE_DEVICE_EVENT_LIFECYCLE and REMOTE_PROC_NODE_DEVICE_EVENT_UPDATE. */
    public static final int NODE_DEVICE_EVENT_LIFECYCLE = 376;
    public static final int NODE_DEVICE_EVENT_UPDATE = 377;
    /** REMOTE_PROC_SECRET_EVENT_LIFECYCLE. */
    public static final int SECRET_EVENT_LIFECYCLE = 382;
    /** REMOTE_PROC_SECRET_EVENT_VALUE_CHANGED. */
    public static final int SECRET_EVENT_VALUE_CHANGED = 383;
    /** REMOTE_PROC_CONNECT_EVENT_CONNECTION_CLOSED. */
    public static final int CONNECTION_CLOSED = 362;
    /** libvirtd sets serial 1 on every event message (remoteDispatchObjectEventSend). */
    private static final int EVENT_SERIAL = 1;

    private Events() {
    }

    static Header message(int procedure) {
        return new Header(Protocol.REMOTE_PROGRAM, Protocol.VERSION, procedure, MessageType.MESSAGE, EVENT_SERIAL,
            MessageStatus.OK);
    }

    /** remote_domain_event_callback_lifecycle_msg { callbackID; { dom; event; detail } }. */
    public static ByteBuffer callbackLifecycle(int callbackId, DomainEvent event) {
        return Packet.encode(message(DOMAIN_EVENT_CALLBACK_LIFECYCLE), out -> {
            out.writeInt(callbackId);
            Types.writeDomain(out, event.domain());
            out.writeInt(event.type().number()).writeInt(event.detail());
        });
    }

    /** remote_domain_event_callback_metadata_change_msg { callbackID; dom; int type; remote_string nsuri }. */
    public static ByteBuffer callbackMetadataChange(int callbackId, DomainMetadataChange event) {
        return Packet.encode(message(DOMAIN_EVENT_CALLBACK_METADATA_CHANGE), out -> {
            out.writeInt(callbackId);
            Types.writeDomain(out, event.domain());
            out.writeInt(event.type());
            Types.writeOptionalString(out, event.uri());
        });
    }

    /** remote_domain_event_block_job_msg { dom; path; type; status }, alone or after a callback id. */
    public static ByteBuffer blockJob(Integer callbackId, BlockJobEvent event) {
        return Packet.encode(message(callbackId == null ? DOMAIN_EVENT_BLOCK_JOB : DOMAIN_EVENT_CALLBACK_BLOCK_JOB),
            out -> {
                if (callbackId != null) {
                    out.writeInt(callbackId);
                }
                Types.writeDomain(out, event.domain());
                out.writeString(event.path());
                out.writeInt(event.type()).writeInt(event.status());
            });
    }

    /** remote_domain_event_block_job_2_msg { callbackID; dom; dst; type; status }. */
    public static ByteBuffer blockJob2(int callbackId, BlockJobEvent event) {
        return Packet.encode(message(DOMAIN_EVENT_BLOCK_JOB_2), out -> {
            out.writeInt(callbackId);
            Types.writeDomain(out, event.domain());
            out.writeString(event.disk());
            out.writeInt(event.type()).writeInt(event.status());
        });
    }

    /** remote_domain_event_callback_agent_lifecycle_msg { callbackID; dom; int state; int reason }. */
    public static ByteBuffer agentLifecycle(int callbackId, AgentLifecycleEvent event) {
        return Packet.encode(message(DOMAIN_EVENT_CALLBACK_AGENT_LIFECYCLE), out -> {
            out.writeInt(callbackId);
            Types.writeDomain(out, event.domain());
            out.writeInt(event.state()).writeInt(event.reason());
        });
    }

    /** remote_domain_event_block_threshold_msg { callbackID; dom; dev; remote_string path; threshold; excess }. */
    public static ByteBuffer blockThreshold(int callbackId, BlockThresholdEvent event) {
        return Packet.encode(message(DOMAIN_EVENT_BLOCK_THRESHOLD), out -> {
            out.writeInt(callbackId);
            Types.writeDomain(out, event.domain());
            out.writeString(event.disk());
            Types.writeOptionalString(out, event.path());
            out.writeHyper(event.threshold()).writeHyper(event.excess());
        });
    }

    /**
     * remote_domain_event_device_removed_msg { dom; remote_nonnull_string devAlias }, alone (legacy) or inside
     * remote_domain_event_callback_device_removed_msg { callbackID; msg }.
     */
    public static ByteBuffer deviceRemoved(Integer callbackId, org.jvirtd.api.event.DeviceRemovedEvent event) {
        return Packet.encode(message(callbackId == null ? DOMAIN_EVENT_DEVICE_REMOVED
            : DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED), out -> {
                if (callbackId != null) {
                    out.writeInt(callbackId);
                }
                Types.writeDomain(out, event.domain());
                out.writeString(event.alias());
            });
    }

    /**
     * remote_domain_event_balloon_change_msg { dom; unsigned hyper actual }, alone (legacy) or inside
     * remote_domain_event_callback_balloon_change_msg { callbackID; msg }.
     */
    public static ByteBuffer balloonChange(Integer callbackId, org.jvirtd.api.event.BalloonChangeEvent event) {
        return Packet.encode(message(callbackId == null ? DOMAIN_EVENT_BALLOON_CHANGE
            : DOMAIN_EVENT_CALLBACK_BALLOON_CHANGE), out -> {
                if (callbackId != null) {
                    out.writeInt(callbackId);
                }
                Types.writeDomain(out, event.domain());
                out.writeHyper(event.actualKiB());
            });
    }

    /** remote_domain_event_callback_tunable_msg { callbackID; dom; remote_typed_param params<> }. */
    public static ByteBuffer tunable(int callbackId, org.jvirtd.api.event.TunableEvent event) {
        return Packet.encode(message(DOMAIN_EVENT_CALLBACK_TUNABLE), out -> {
            out.writeInt(callbackId);
            Types.writeDomain(out, event.domain());
            TypedParams.writeAll(out, event.params());
        });
    }

    /** remote_domain_event_callback_job_completed_msg { callbackID; dom; remote_typed_param params<> }. */
    public static ByteBuffer jobCompleted(int callbackId, org.jvirtd.api.event.JobCompletedEvent event) {
        return Packet.encode(message(DOMAIN_EVENT_CALLBACK_JOB_COMPLETED), out -> {
            out.writeInt(callbackId);
            Types.writeDomain(out, event.domain());
            TypedParams.writeAll(out, event.params());
        });
    }

    /** remote_domain_event_lifecycle_msg { dom; event; detail }. */
    public static ByteBuffer legacyLifecycle(DomainEvent event) {
        return Packet.encode(message(DOMAIN_EVENT_LIFECYCLE), out -> {
            Types.writeDomain(out, event.domain());
            out.writeInt(event.type().number()).writeInt(event.detail());
        });
    }

    /** remote_network_event_lifecycle_msg { callbackID; net; event; detail }. */
    public static ByteBuffer networkLifecycle(int callbackId, NetworkEvent event) {
        return Packet.encode(message(NETWORK_EVENT_LIFECYCLE), out -> {
            out.writeInt(callbackId);
            Types.writeNetwork(out, event.network());
            out.writeInt(event.type().number()).writeInt(0);
        });
    }

    /**
     * remote_node_device_event_lifecycle_msg { callbackID; remote_nonnull_node_device dev; event; detail } or
     * remote_node_device_event_update_msg { callbackID; dev }.
     */
    public static ByteBuffer nodeDeviceEvent(int callbackId, NodeDeviceEvent event) {
        if (event.type() == NodeDeviceEvent.Type.UPDATED) {
            return Packet.encode(message(NODE_DEVICE_EVENT_UPDATE), out -> {
                out.writeInt(callbackId);
                out.writeString(event.device());
            });
        }
        return Packet.encode(message(NODE_DEVICE_EVENT_LIFECYCLE), out -> {
            out.writeInt(callbackId);
            out.writeString(event.device());
            out.writeInt(event.type().number()).writeInt(0);
        });
    }

    /**
     * remote_secret_event_lifecycle_msg { callbackID; secret; event; detail }, or for a new value
     * remote_secret_event_value_changed_msg { callbackID; secret }.
     */
    public static ByteBuffer secretEvent(int callbackId, SecretEvent event) {
        if (event.type() == SecretEvent.Type.VALUE_CHANGED) {
            return Packet.encode(message(SECRET_EVENT_VALUE_CHANGED), out -> {
                out.writeInt(callbackId);
                Types.writeSecret(out, event.secret());
            });
        }
        return Packet.encode(message(SECRET_EVENT_LIFECYCLE), out -> {
            out.writeInt(callbackId);
            Types.writeSecret(out, event.secret());
            out.writeInt(event.type().number()).writeInt(0);
        });
    }

    /**
     * remote_storage_pool_event_lifecycle_msg { callbackID; pool; event; detail }, or for a refresh
     * remote_storage_pool_event_refresh_msg { callbackID; pool }.
     */
    public static ByteBuffer poolEvent(int callbackId, PoolEvent event) {
        if (event.type() == PoolEvent.Type.REFRESHED) {
            return Packet.encode(message(STORAGE_POOL_EVENT_REFRESH), out -> {
                out.writeInt(callbackId);
                Types.writePool(out, event.pool());
            });
        }
        return Packet.encode(message(STORAGE_POOL_EVENT_LIFECYCLE), out -> {
            out.writeInt(callbackId);
            Types.writePool(out, event.pool());
            out.writeInt(event.type().number()).writeInt(0);
        });
    }

    /** remote_connect_event_connection_closed_msg { reason }. */
    public static ByteBuffer connectionClosed(int reason) {
        return Packet.encode(message(CONNECTION_CLOSED), out -> out.writeInt(reason));
    }
}
