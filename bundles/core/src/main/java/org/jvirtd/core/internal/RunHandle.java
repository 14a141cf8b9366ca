package org.jvirtd.core.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.api.event.DomainEventType;

/**
 * What a driver sees of one domain during one call or one run. Reports from the driver that arrive
 * after the run ended (a late exit notice of a destroyed guest) are recognised by the run's id and
 * ignored.
 */
final class RunHandle implements DomainHandle {
    private final DriverDomains owner;
    private final DomainObject domain;
    private final DomainStore store;
    private volatile int id;
    private volatile String xml;
    private volatile Map<String, String> runtime;

    RunHandle(DriverDomains owner, DomainObject domain, DomainStore store, int id, String xml,
              Map<String, String> runtime) {
        this.owner = owner;
        this.domain = domain;
        this.store = store;
        this.id = id;
        this.xml = xml;
        this.runtime = Map.copyOf(runtime);
    }

    @Override
    public String name() {
        return domain.name();
    }

    @Override
    public UUID uuid() {
        return domain.uuid();
    }

    @Override
    public int id() {
        return id;
    }

    /** The run's domain takes {@code newId}; this handle follows, so its later reports still belong to the run. */
    @Override
    public void setId(int newId) {
        owner.withRun(this, d -> {
            d.setId(newId);
            this.id = newId;
            store.writeStatus(d);
        });
    }

    @Override
    public String xml() {
        return xml;
    }

    @Override
    public boolean persistent() {
        return domain.isPersistent();
    }

    @Override
    public void setLiveXml(String liveXml) {
        this.xml = liveXml;
        owner.withRun(this, d -> {
            d.setLiveXml(liveXml);
            if (d.isActive()) {
                store.writeStatus(d);
            }
        });
    }

    @Override
    public void updateLiveXml(UnaryOperator<String> change) {
        owner.withRun(this, d -> {
            String next = change.apply(d.currentXml());
            this.xml = next;
            d.setLiveXml(next);
            if (d.isActive()) {
                store.writeStatus(d);
            }
        });
    }

    @Override
    public Map<String, String> runtime() {
        return runtime;
    }

    @Override
    public void putRuntime(Map<String, String> facts) {
        Map<String, String> merged = new LinkedHashMap<>(runtime);
        merged.putAll(facts);
        runtime = Map.copyOf(merged);
        owner.withRun(this, d -> {
            // onto the facts as they are now: another call's handle may have recorded some since this one's copy
            Map<String, String> current = new LinkedHashMap<>(d.runtime());
            current.putAll(facts);
            d.setRuntime(current);
            if (d.isActive()) {
                store.writeStatus(d);
            }
        });
    }

    @Override
    public Path runDir() {
        return store.runDir();
    }

    @Override
    public Path logDir() {
        return store.logDir();
    }

    @Override
    public Path stateDir() {
        return store.stateDir();
    }

    @Override
    public void stateChanged(DomainState state, int reason) {
        owner.withRun(this, d -> owner.applyState(d, state, reason));
    }

    @Override
    public void emit(DomainEventType type, int detail) {
        owner.publish(domain.ref(), type, detail);
    }

    @Override
    public void emitBlockJob(String disk, String path, int type, int status) {
        owner.publishBlockJob(domain.ref(), disk, path, type, status);
    }

    @Override
    public void emitAgentLifecycle(int state, int reason) {
        owner.publishAgentLifecycle(domain.ref(), state, reason);
    }

    @Override
    public void emitDeviceRemoved(String alias) {
        owner.publishDeviceRemoved(domain.ref(), alias);
    }

    @Override
    public void emitBalloonChange(long actualKiB) {
        owner.publishBalloonChange(domain.ref(), actualKiB);
    }

    @Override
    public void emitBlockThreshold(String disk, String path, long threshold, long excess) {
        owner.publishBlockThreshold(domain.ref(), disk, path, threshold, excess);
    }

    @Override
    public void emitJobCompleted(java.util.List<org.jvirtd.api.TypedParameter> params) {
        owner.publishJobCompleted(domain.ref(), params);
    }

    DomainObject domain() {
        return domain;
    }
}
