package org.jvirtd.driver.xen.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.api.event.DomainEventType;

/**
 * What core hands the driver for one run of a domain, kept in memory: the XML, the runtime facts, and the state
 * changes the driver reported (as "STATE/reason").
 */
final class RecordingHandle implements DomainHandle {
    private final String name;
    private final UUID uuid;
    private final String xml;
    private final Path stateDir;
    private final Map<String, String> runtime = new LinkedHashMap<>();
    final List<String> reports = new CopyOnWriteArrayList<>();
    private volatile int id = 1;

    RecordingHandle(String name, UUID uuid, String xml, Path stateDir) {
        this.name = name;
        this.uuid = uuid;
        this.xml = xml;
        this.stateDir = stateDir;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public UUID uuid() {
        return uuid;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public void setId(int id) {
        this.id = id;
    }

    @Override
    public String xml() {
        return xml;
    }

    @Override
    public void setLiveXml(String xml) {
    }

    @Override
    public synchronized Map<String, String> runtime() {
        return Map.copyOf(runtime);
    }

    @Override
    public synchronized void putRuntime(Map<String, String> facts) {
        runtime.putAll(facts);
    }

    @Override
    public Path runDir() {
        return stateDir;
    }

    @Override
    public Path logDir() {
        return stateDir;
    }

    @Override
    public Path stateDir() {
        return stateDir;
    }

    @Override
    public void stateChanged(DomainState state, int reason) {
        reports.add(state + "/" + reason);
    }

    @Override
    public void emit(DomainEventType type, int detail) {
        reports.add(type + ":" + detail);
    }
}
