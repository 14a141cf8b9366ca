package org.jvirtd.net.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Networks;
import org.jvirtd.api.network.DhcpDns;
import org.jvirtd.api.network.DhcpLease;
import org.jvirtd.api.network.ForwardMode;
import org.jvirtd.api.network.NetworkEventListener;
import org.jvirtd.api.network.NetworkEventType;
import org.jvirtd.api.network.NetworkFlags;
import org.jvirtd.api.network.NetworkPortRef;
import org.jvirtd.api.network.NetworkRef;
import org.jvirtd.core.config.DaemonConfig;
import org.jvirtd.model.network.Bandwidth;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.model.network.NetworkXml;
import org.jvirtd.net.host.NetDevices;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The network driver: the networks the daemon knows, their persistence, autostart and live state, started
 * and stopped through the forward mode services and taken over again after a restart. Settings read from
 * jvirtd.conf: {@code network_namespace}, the network namespace networks live in (empty: the host's own).
 */
@Component(service = Networks.class, immediate = true)
public final class NetworkDriver implements Networks {
    private final NetworkStore store;
    private final ForwardModes modes;
    private final String netns;
    private final NetworkEvents events = new NetworkEvents();
    private final Map<String, NetworkObject> networks = new TreeMap<>();
    private volatile DhcpDns dhcpDns;

    @Activate
    public NetworkDriver(@Reference DaemonConfig config, @Reference ForwardModes modes) {
        this.store = new NetworkStore(config.paths());
        this.modes = modes;
        this.netns = config.settings().string("network_namespace", "");
        load();
    }

    @Activate
    void activate() {
        Thread resume = new Thread(this::resumeNetworks, "jvirtd-network-resume");
        resume.setDaemon(true);
        resume.start();
    }

    @Deactivate
    public void deactivate() {
        events.close();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    public void bindDhcpDns(DhcpDns service) {
        dhcpDns = service;
    }

    public void unbindDhcpDns(DhcpDns service) {
        if (dhcpDns == service) {
            dhcpDns = null;
        }
    }

    private void load() {
        for (NetworkDef def : store.loadPersistent()) {
            NetworkObject obj = new NetworkObject(def);
            obj.autostart = store.autostart(def.name());
            networks.put(def.name(), obj);
        }
        for (NetworkStore.Status status : store.loadStatus()) {
            NetworkObject obj = networks.computeIfAbsent(status.live().name(), n -> new NetworkObject(null));
            obj.live = status.live();
            obj.runtime.putAll(status.runtime());
            for (NetworkPort port : store.loadPorts(status.live().name())) {
                obj.ports.put(port.uuid(), port);
            }
        }
    }

    /**
     * Takes over the networks that were active when the daemon last ran (those whose host side is gone
     * become inactive), then starts the autostart networks that are not running.
     */
    public void resumeNetworks() {
        for (NetworkObject obj : snapshot()) {
            synchronized (obj) {
                if (!obj.active()) {
                    continue;
                }
                try {
                    if (!mode(obj.live).reattach(handle(obj, obj.live))) {
                        markInactive(obj);
                    }
                } catch (VirtException e) {
                    System.err.println("jvirtd: cannot reattach network '" + obj.live.name() + "': " + e.getMessage());
                }
            }
        }
        for (NetworkObject obj : snapshot()) {
            if (obj.autostart && !isActiveObject(obj)) {
                try {
                    start(obj, obj.persistent);
                } catch (VirtException e) {
                    System.err.println("jvirtd: autostart of network '" + obj.persistent.name() + "' failed: "
                        + e.getMessage());
                }
            }
        }
    }

    private static boolean isActiveObject(NetworkObject obj) {
        synchronized (obj) {
            return obj.active();
        }
    }

    private synchronized List<NetworkObject> snapshot() {
        return new ArrayList<>(networks.values());
    }

    @Override
    public List<NetworkRef> listAll(int flags) {
        List<NetworkRef> out = new ArrayList<>();
        for (NetworkObject obj : snapshot()) {
            synchronized (obj) {
                if (matches(flags, obj.active(), NetworkFlags.LIST_ACTIVE, NetworkFlags.LIST_INACTIVE)
                    && matches(flags, obj.persistent != null, NetworkFlags.LIST_PERSISTENT, NetworkFlags.LIST_TRANSIENT)
                    && matches(flags, obj.autostart, NetworkFlags.LIST_AUTOSTART, NetworkFlags.LIST_NO_AUTOSTART)) {
                    out.add(obj.ref());
                }
            }
        }
        return out;
    }

    private static boolean matches(int flags, boolean value, int yes, int no) {
        return (flags & (yes | no)) == 0 || (flags & (value ? yes : no)) != 0;
    }

    @Override
    public NetworkRef lookupByName(String name) {
        NetworkObject obj;
        synchronized (this) {
            obj = networks.get(name);
        }
        if (obj == null) {
            throw NetworkErrors.noNetworkName(name);
        }
        synchronized (obj) {
            return obj.ref();
        }
    }

    @Override
    public NetworkRef lookupByUuid(UUID uuid) {
        for (NetworkObject obj : snapshot()) {
            synchronized (obj) {
                if (obj.def().uuid().equals(uuid)) {
                    return obj.ref();
                }
            }
        }
        throw NetworkErrors.noNetworkUuid(uuid.toString());
    }

    private NetworkObject find(NetworkRef ref) {
        NetworkObject obj;
        synchronized (this) {
            obj = networks.get(ref.name());
        }
        if (obj == null || !obj.def().uuid().equals(ref.uuid())) {
            throw new VirtException(ErrorCode.NO_NETWORK, ErrorDomain.NETWORK, "no network with matching uuid '"
                + ref.uuid() + "' (" + ref.name() + ")");
        }
        return obj;
    }

    @Override
    public NetworkRef define(String xml, int flags) {
        NetworkDef def = NetworkXml.parse(xml);
        NetworkChecks.name(def.name());
        NetworkChecks.hostForwardMode(def);
        NetworkRef ref;
        synchronized (this) {
            NetworkObject existing = checkIdentity(def);
            def = NetworkDefs.withDefaults(def, this::bridgeTaken);
            NetworkChecks.bridgeFree(def, allDefs());
            store.savePersistent(def);
            if (existing == null) {
                networks.put(def.name(), new NetworkObject(def));
            } else {
                synchronized (existing) {
                    existing.persistent = def;
                }
            }
            ref = new NetworkRef(def.name(), def.uuid());
        }
        events.publish(ref, NetworkEventType.DEFINED);
        return ref;
    }

    /** The network with the same name (which must have the same UUID), refusing a UUID another name holds. */
    private NetworkObject checkIdentity(NetworkDef def) {
        for (NetworkObject obj : networks.values()) {
            NetworkDef other = obj.def();
            if (other.name().equals(def.name()) && !other.uuid().equals(def.uuid())) {
                throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.NETWORK,
                    "network '" + def.name() + "' already exists with uuid " + other.uuid());
            }
            if (!other.name().equals(def.name()) && other.uuid().equals(def.uuid())) {
                throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.NETWORK,
                    "network '" + other.name() + "' is already defined with uuid " + def.uuid());
            }
        }
        return networks.get(def.name());
    }

    private boolean bridgeTaken(String bridge) {
        return allDefs().stream().anyMatch(d -> d.bridge() != null && bridge.equals(d.bridge().name()))
            || new NetDevices(netns).exists(bridge);
    }

    private List<NetworkDef> allDefs() {
        List<NetworkDef> defs = new ArrayList<>();
        for (NetworkObject obj : networks.values()) {
            if (obj.persistent != null) {
                defs.add(obj.persistent);
            }
            if (obj.live != null) {
                defs.add(obj.live);
            }
        }
        return defs;
    }

    private Collection<NetworkDef> activeDefs() {
        List<NetworkDef> defs = new ArrayList<>();
        for (NetworkObject obj : snapshot()) {
            synchronized (obj) {
                if (obj.live != null) {
                    defs.add(obj.live);
                }
            }
        }
        return defs;
    }

    @Override
    public void undefine(NetworkRef ref) {
        NetworkObject obj = find(ref);
        synchronized (obj) {
            if (obj.persistent == null) {
                throw NetworkErrors.invalid("cannot undefine transient network");
            }
            store.deletePersistent(ref.name());
            obj.persistent = null;
            obj.autostart = false;
            if (!obj.active()) {
                synchronized (this) {
                    networks.remove(ref.name(), obj);
                }
            }
        }
        events.publish(ref, NetworkEventType.UNDEFINED);
    }

    @Override
    public NetworkRef createXml(String xml, int flags) {
        NetworkDef def = NetworkXml.parse(xml);
        NetworkChecks.name(def.name());
        NetworkChecks.hostForwardMode(def);
        NetworkObject obj;
        boolean added;
        synchronized (this) {
            NetworkObject existing = checkIdentity(def);
            def = NetworkDefs.withDefaults(def, bridge -> !(existing != null && existing.def().bridge() != null
                && bridge.equals(existing.def().bridge().name())) && bridgeTaken(bridge));
            NetworkChecks.bridgeFree(def, allDefs());
            added = existing == null;
            obj = added ? new NetworkObject(null) : existing;
            networks.putIfAbsent(def.name(), obj);
        }
        try {
            start(obj, def);
        } catch (RuntimeException e) {
            if (added) {
                synchronized (this) {
                    networks.remove(def.name(), obj);
                }
            }
            throw e;
        }
        return new NetworkRef(def.name(), def.uuid());
    }

    @Override
    public void create(NetworkRef ref) {
        NetworkObject obj = find(ref);
        NetworkDef def;
        synchronized (obj) {
            def = obj.persistent != null ? obj.persistent : obj.def();
        }
        start(obj, def);
    }

    private void start(NetworkObject obj, NetworkDef def) {
        ForwardMode mode = mode(def);
        synchronized (obj) {
            if (obj.active()) {
                throw NetworkErrors.invalid("network is already active");
            }
            Collection<NetworkDef> active = activeDefs();
            NetworkChecks.bridgeFree(def, active);
            if (def.forwardMode().ownsBridge()) {
                NetworkChecks.subnetsFree(def, active, new NetDevices(netns).routes());
            }
            obj.runtime.clear();
            LiveNetwork handle = handle(obj, def);
            mode.start(handle);
            obj.live = def;
            try {
                store.saveStatus(def, handle.runtime());
            } catch (VirtException e) {
                mode.stop(handle);
                obj.live = null;
                throw e;
            }
        }
        events.publish(new NetworkRef(def.name(), def.uuid()), NetworkEventType.STARTED);
    }

    private ForwardMode mode(NetworkDef def) {
        return modes.require(def.forwardMode().xmlName());
    }

    private LiveNetwork handle(NetworkObject obj, NetworkDef def) {
        return new LiveNetwork(def, obj.runtime, store, netns);
    }

    @Override
    public void destroy(NetworkRef ref) {
        NetworkObject obj = find(ref);
        synchronized (obj) {
            if (!obj.active()) {
                throw NetworkErrors.invalid("network is not active");
            }
            mode(obj.live).stop(handle(obj, obj.live));
            markInactive(obj);
        }
        events.publish(ref, NetworkEventType.STOPPED);
    }

    /** Forgets a network's live state; a transient network goes away with it. Called with the object locked. */
    private void markInactive(NetworkObject obj) {
        String name = obj.live.name();
        obj.live = null;
        obj.runtime.clear();
        obj.ports.clear();
        store.deletePorts(name);
        store.deleteStatus(name);
        if (obj.persistent == null) {
            synchronized (this) {
                networks.remove(name, obj);
            }
        }
    }

    @Override
    public boolean autostart(NetworkRef ref) {
        NetworkObject obj = find(ref);
        synchronized (obj) {
            return obj.autostart;
        }
    }

    @Override
    public void setAutostart(NetworkRef ref, boolean autostart) {
        NetworkObject obj = find(ref);
        synchronized (obj) {
            if (obj.persistent == null) {
                throw NetworkErrors.invalid("cannot set autostart for transient network");
            }
            store.setAutostart(ref.name(), autostart);
            obj.autostart = autostart;
        }
    }

    @Override
    public boolean isActive(NetworkRef ref) {
        NetworkObject obj = find(ref);
        synchronized (obj) {
            return obj.active();
        }
    }

    @Override
    public boolean isPersistent(NetworkRef ref) {
        NetworkObject obj = find(ref);
        synchronized (obj) {
            return obj.persistent != null;
        }
    }

    @Override
    public String xml(NetworkRef ref, int flags) {
        NetworkObject obj = find(ref);
        synchronized (obj) {
            boolean inactive = (flags & NetworkFlags.XML_INACTIVE) != 0;
            NetworkDef def = inactive && obj.persistent != null ? obj.persistent : obj.def();
            return NetworkXml.format(def, inactive ? NetworkXml.INACTIVE : 0);
        }
    }

    @Override
    public String bridgeName(NetworkRef ref) {
        NetworkObject obj = find(ref);
        synchronized (obj) {
            NetworkDef def = obj.def();
            if (def.bridge() == null || def.bridge().name() == null) {
                throw NetworkErrors.internal("network '" + def.name() + "' does not have a bridge name.");
            }
            return def.bridge().name();
        }
    }

    @Override
    public List<DhcpLease> leases(NetworkRef ref, String mac, int flags) {
        NetworkObject obj = find(ref);
        DhcpDns service = dhcpDns;
        synchronized (obj) {
            if (!obj.active() || service == null || !obj.live.forwardMode().ownsBridge()) {
                return List.of();
            }
            return service.leases(handle(obj, obj.live)).stream()
                .filter(l -> mac == null || mac.equalsIgnoreCase(l.mac())).toList();
        }
    }

    @Override
    public void update(NetworkRef ref, int command, int section, int parentIndex, String xml, int flags) {
        if (section != NetworkFlags.SECTION_IP_DHCP_HOST) {
            throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.NETWORK,
                "can't update network section " + section + ": only ip-dhcp-host is supported");
        }
        NetworkObject obj = find(ref);
        synchronized (obj) {
            boolean live = (flags & NetworkFlags.UPDATE_AFFECT_LIVE) != 0
                || (flags == NetworkFlags.UPDATE_AFFECT_CURRENT && obj.active());
            boolean config = (flags & NetworkFlags.UPDATE_AFFECT_CONFIG) != 0
                || (flags == NetworkFlags.UPDATE_AFFECT_CURRENT && !obj.active());
            if (live && !obj.active()) {
                throw NetworkErrors.invalid("network is not running");
            }
            if (config && obj.persistent == null) {
                throw NetworkErrors.invalid("cannot change persistent config of a transient network");
            }
            NetworkDef newLive = live ? DhcpHostUpdate.apply(obj.live, command, parentIndex, xml) : null;
            NetworkDef newPersistent = config ? DhcpHostUpdate.apply(obj.persistent, command, parentIndex, xml) : null;
            if (config) {
                store.savePersistent(newPersistent);
                obj.persistent = newPersistent;
            }
            if (live) {
                obj.live = newLive;
                store.saveStatus(newLive, obj.runtime);
                DhcpDns service = dhcpDns;
                if (service != null && newLive.forwardMode().ownsBridge()) {
                    service.reloadHosts(handle(obj, newLive));
                }
            }
        }
    }

    @Override
    public NetworkPortRef createPort(NetworkRef ref, String xml, int flags) {
        NetworkPort port = NetworkPortXml.parse(xml);
        NetworkObject obj = find(ref);
        synchronized (obj) {
            NetworkDef live = requireActive(obj);
            if (obj.ports.containsKey(port.uuid())) {
                throw NetworkErrors.portExists(port.uuid());
            }
            if (port.plugType() != null && !"none".equals(port.plugType())) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NETWORK,
                    "Port reclaim not requested but plug type is not none");
            }
            PortBandwidth.checkFloor(live, port.mac(), null, port.bandwidth());
            NetworkPort plugged = plug(live, port);
            store.savePort(live.name(), plugged);
            obj.ports.put(plugged.uuid(), plugged);
            return new NetworkPortRef(ref, plugged.uuid());
        }
    }

    /**
     * How a port joins the network, from its forward mode: a network with its own bridge (NAT, route, open,
     * isolated) plugs it into that bridge as type 'network'; a host bridge network as type 'bridge'.
     */
    private static NetworkPort plug(NetworkDef live, NetworkPort port) {
        String bridge = live.bridge() == null ? null : live.bridge().name();
        if (live.forwardMode().ownsBridge() && bridge != null) {
            return port.plugged("network", bridge);
        }
        if (bridge != null) {
            return port.plugged("bridge", bridge);
        }
        throw NetworkErrors.unsupported("network ports on a network with forward mode '"
            + live.forwardMode().xmlName() + "' are not supported");
    }

    private static NetworkDef requireActive(NetworkObject obj) {
        if (!obj.active()) {
            throw NetworkErrors.invalid("network '" + obj.def().name() + "' is not active");
        }
        return obj.live;
    }

    @Override
    public NetworkPortRef lookupPort(NetworkRef ref, UUID uuid) {
        NetworkObject obj = find(ref);
        synchronized (obj) {
            requireActive(obj);
            if (!obj.ports.containsKey(uuid)) {
                throw NetworkErrors.noPort(uuid);
            }
            return new NetworkPortRef(ref, uuid);
        }
    }

    @Override
    public List<NetworkPortRef> listPorts(NetworkRef ref, int flags) {
        NetworkObject obj = find(ref);
        synchronized (obj) {
            requireActive(obj);
            return obj.ports.keySet().stream().map(uuid -> new NetworkPortRef(ref, uuid)).toList();
        }
    }

    @Override
    public String portXml(NetworkPortRef port, int flags) {
        NetworkObject obj = find(port.network());
        synchronized (obj) {
            requireActive(obj);
            return NetworkPortXml.format(existingPort(obj, port.uuid()));
        }
    }

    @Override
    public List<TypedParameter> portParameters(NetworkPortRef port, int flags) {
        VirtErrors.checkFlags(ErrorDomain.NETWORK, flags, 0, "networkPortGetParameters");
        NetworkObject obj = find(port.network());
        synchronized (obj) {
            requireActive(obj);
            return PortBandwidth.parameters(existingPort(obj, port.uuid()).bandwidth());
        }
    }

    /** The new limits are recorded (and kept in the port's status file); the floor is checked as libvirt does. */
    @Override
    public void setPortParameters(NetworkPortRef port, List<TypedParameter> params, int flags) {
        VirtErrors.checkFlags(ErrorDomain.NETWORK, flags, 0, "networkPortSetParameters");
        NetworkObject obj = find(port.network());
        synchronized (obj) {
            NetworkDef live = requireActive(obj);
            NetworkPort existing = existingPort(obj, port.uuid());
            Bandwidth limits = PortBandwidth.fromParameters(params);
            PortBandwidth.checkFloor(live, existing.mac(), existing.bandwidth(), limits);
            NetworkPort changed = existing.withBandwidth(limits);
            store.savePort(live.name(), changed);
            obj.ports.put(changed.uuid(), changed);
        }
    }

    @Override
    public void deletePort(NetworkPortRef port, int flags) {
        NetworkObject obj = find(port.network());
        synchronized (obj) {
            NetworkDef live = requireActive(obj);
            existingPort(obj, port.uuid());
            store.deletePort(live.name(), port.uuid());
            obj.ports.remove(port.uuid());
        }
    }

    private static NetworkPort existingPort(NetworkObject obj, UUID uuid) {
        NetworkPort port = obj.ports.get(uuid);
        if (port == null) {
            throw NetworkErrors.noPort(uuid);
        }
        return port;
    }

    @Override
    public AutoCloseable subscribe(NetworkEventListener listener) {
        return events.subscribe(listener);
    }
}
