package org.jvirtd.core.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.domain.StateReason;

/**
 * One domain as core keeps it: persistent and live definitions, state, id, autostart and the driver's
 * runtime facts. Fields are changed only by the thread holding {@link #lock()}.
 */
final class DomainObject {
    private final ReentrantLock lock = new ReentrantLock();
    private final String name;
    private final UUID uuid;
    private String persistentXml;
    private String liveXml;
    private DomainState state = DomainState.SHUTOFF;
    private int reason = StateReason.UNKNOWN;
    private int id = -1;
    private boolean autostart;
    private boolean removed;
    private Map<String, String> runtime = new LinkedHashMap<>();
    /** virDomainAgentSetResponseTimeout's value: seconds, or -1 (default), -2 (block), 0 (no wait). */
    private int agentTimeout = -1;
    /** The XML the API returned per format flags; it depends only on the definitions and the id. */
    private final Map<Integer, String> formatted = new HashMap<>(2);

    DomainObject(String name, UUID uuid) {
        this.name = name;
        this.uuid = uuid;
    }

    ReentrantLock lock() {
        return lock;
    }

    String name() {
        return name;
    }

    UUID uuid() {
        return uuid;
    }

    DomainRef ref() {
        return new DomainRef(name, uuid, id);
    }

    String persistentXml() {
        return persistentXml;
    }

    void setPersistentXml(String xml) {
        this.persistentXml = xml;
        formatted.clear();
    }

    boolean isPersistent() {
        return persistentXml != null;
    }

    String liveXml() {
        return liveXml;
    }

    void setLiveXml(String xml) {
        this.liveXml = xml;
        formatted.clear();
    }

    /** The definition that describes the domain now: live while active, persistent otherwise. */
    String currentXml() {
        return isActive() && liveXml != null ? liveXml : persistentXml;
    }

    DomainState state() {
        return state;
    }

    int reason() {
        return reason;
    }

    void setState(DomainState state, int reason) {
        this.state = state;
        this.reason = reason;
    }

    boolean isActive() {
        return id >= 0;
    }

    int id() {
        return id;
    }

    void setId(int id) {
        this.id = id;
        formatted.clear();
    }

    /** The formatted XML for these flags, made by {@code format} only when the object changed since. */
    String formatted(int flags, Supplier<String> format) {
        return formatted.computeIfAbsent(flags, f -> format.get());
    }

    boolean autostart() {
        return autostart;
    }

    void setAutostart(boolean autostart) {
        this.autostart = autostart;
    }

    /** Set once the object left the list; a caller that waited for its lock must look it up again. */
    boolean isRemoved() {
        return removed;
    }

    void markRemoved() {
        this.removed = true;
    }

    int agentTimeout() {
        return agentTimeout;
    }

    void setAgentTimeout(int seconds) {
        this.agentTimeout = seconds;
    }

    Map<String, String> runtime() {
        return runtime;
    }

    void setRuntime(Map<String, String> facts) {
        this.runtime = new LinkedHashMap<>(facts);
    }
}
