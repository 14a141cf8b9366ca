package org.jvirtd.api.driver;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.event.DomainEventType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A domain as core hands it to its driver: the definition to run and a place for the driver's runtime
 * facts (pid, monitor socket, ...). Core persists those facts in the domain's status file, so a driver
 * that comes back after an update or a daemon restart gets them again in {@link HypervisorDriver#reattach}.
 */
@ProviderType
public interface DomainHandle {
    String name();

    UUID uuid();

    /** The id core assigned for this run, or -1 while inactive. */
    int id();

    /**
     * Makes the hypervisor's own number for this run the domain's id, as libvirt reports it for hypervisors that
     * number their guests (Xen's domain id, which also changes when xl restarts a rebooting guest). Core persists
     * it with the run's status; later reports through this handle belong to the run under its new id.
     */
    default void setId(int id) {
        throw new UnsupportedOperationException("this handle cannot renumber its domain");
    }

    /** The domain XML to run: the live definition while active, the persistent one otherwise. */
    String xml();

    /** Whether the domain has a persistent definition (a transient one ends with its run). */
    default boolean persistent() {
        return false;
    }

    /** Replaces the live definition (after the driver filled in ports, aliases, paths). */
    void setLiveXml(String xml);

    /**
     * Changes the live definition as it is when the change runs, under the domain's lock, rather than this
     * handle's copy of it: what a report from the hypervisor (a block job's end, not a call) records, so that
     * it neither undoes nor is undone by a call that changed the definition meanwhile. Runs now when this
     * thread holds the domain, else soon after.
     */
    default void updateLiveXml(java.util.function.UnaryOperator<String> change) {
        setLiveXml(change.apply(xml()));
    }

    /** The driver's runtime facts of the current run; empty while inactive. */
    Map<String, String> runtime();

    /** Records runtime facts for the current run; core writes them to the status file at once. */
    void putRuntime(Map<String, String> facts);

    /** A directory under the runtime root that belongs to this driver (pid files, sockets). */
    Path runDir();

    /** A directory under the log root that belongs to this driver. */
    Path logDir();

    /** A directory under the state root that belongs to this driver (managed save images). */
    Path stateDir();

    /**
     * Reports a state change the hypervisor made on its own (guest powered off, paused on error,
     * crashed). Core updates the state, persists it and publishes the matching lifecycle event.
     */
    void stateChanged(DomainState state, int reason);

    /** Publishes an event that is not a state change (for example SHUTDOWN/finished). */
    void emit(DomainEventType type, int detail);

    /**
     * Publishes a block job event (BLOCK_JOB by the disk's top image {@code path}, BLOCK_JOB_2 by its target
     * {@code disk}), with {@code BlockJobFlags}' type and status numbers.
     */
    default void emitBlockJob(String disk, String path, int type, int status) {
    }

    /** Publishes an AGENT_LIFECYCLE event (AgentLifecycleEvent's state and reason numbers). */
    default void emitAgentLifecycle(int state, int reason) {
    }

    /** Publishes a DEVICE_REMOVED event: the device with this alias is gone from the guest. */
    default void emitDeviceRemoved(String alias) {
    }

    /** Publishes a BALLOON_CHANGE event: the memory the balloon leaves the guest, in KiB. */
    default void emitBalloonChange(long actualKiB) {
    }

    /** Publishes a BLOCK_THRESHOLD event of a disk. */
    default void emitBlockThreshold(String disk, String path, long threshold, long excess) {
    }

    /** Publishes a JOB_COMPLETED event with the ended job's figures (virDomainGetJobStats' typed parameters). */
    default void emitJobCompleted(java.util.List<org.jvirtd.api.TypedParameter> params) {
    }
}
