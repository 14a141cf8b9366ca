package org.jvirtd.driver.qemu.internal.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.connect.Networks;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.api.network.NetworkRef;
import org.jvirtd.api.nwfilter.NwFilters;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.driver.qemu.internal.guest.GuestXml;
import org.w3c.dom.Element;

/**
 * The host side of guests' bridge and network interfaces: the namespace they live in (jvirtd.conf's
 * {@code network_namespace}, where QEMU runs too), the bridge each joins (a network's from the network
 * driver), and the TAP devices plugged for a run and unplugged after it, with the network filter bindings of
 * the interfaces that have a {@code <filterref>}.
 */
public final class HostNetwork {
    /** Runtime fact: the TAP devices of the run, space separated. */
    public static final String TAPS = "taps";
    /** Target names libvirt generates itself; a definition that carries one gets a fresh device. */
    private static final List<String> GENERATED_PREFIXES = List.of("vnet", "vif", "macvtap", "macvlan");

    private final String netns;
    private final TapDevices taps;
    private final PortFilters filters = new PortFilters();
    private final TapShaping shaping;
    private volatile Networks networks;

    public HostNetwork(String netns) {
        this.netns = netns == null ? "" : netns;
        this.taps = new TapDevices(this.netns);
        this.shaping = new TapShaping(this.netns);
    }

    /** Sets a running guest's TAP to an interface's bandwidth (see {@link TapShaping}). */
    public void shape(String tap, Map<String, Map<String, Long>> bandwidth) {
        shaping.apply(tap, bandwidth);
    }

    public void bind(Networks service) {
        networks = service;
    }

    /** The network driver, or null while none is bound. */
    public Networks networks() {
        return networks;
    }

    public void unbind(Networks service) {
        if (networks == service) {
            networks = null;
        }
    }

    /** The nwfilter driver binds the filters of interfaces with a filterref; without it their start fails. */
    public void bindFilters(NwFilters service) {
        filters.bind(service);
    }

    public void unbindFilters(NwFilters service) {
        filters.unbind(service);
    }

    /** What runs QEMU inside the namespace: empty for the daemon's own. */
    public List<String> launchPrefix() {
        return netns.isEmpty() ? List.of() : List.of("ip", "netns", "exec", netns);
    }

    /**
     * Creates the TAP of every bridge and network interface of the handle's definition, records them as a
     * runtime fact and in the live XML, and returns their names.
     */
    public List<String> plug(DomainHandle h) {
        GuestDef def = GuestXml.parse(h.xml(), h.id());
        Map<String, Element> filterRefs = PortFilters.byMac(h.xml());
        List<InterfaceTargets.Landing> landings = new ArrayList<>();
        List<String> plugged = new ArrayList<>();
        try {
            for (GuestDef.Interface net : def.devices().interfaces()) {
                String bridge = bridgeOf(net);
                if (bridge == null) {
                    landings.add(null);
                    continue;
                }
                String tap = taps.create(ownName(net.targetDev()), hostMac(net.mac()), bridge);
                plugged.add(tap);
                filters.attach(h, net.mac() == null ? null : filterRefs.get(net.mac()), tap, net.mac());
                landings.add(new InterfaceTargets.Landing(tap, bridge));
                shapeAsDefined(h.xml(), landings.size() - 1, tap);
            }
            if (!plugged.isEmpty()) {
                h.putRuntime(Map.of(TAPS, String.join(" ", plugged)));
                h.setLiveXml(InterfaceTargets.of(h.xml(), landings, h.id()));
            }
            return plugged;
        } catch (RuntimeException e) {
            unplug(plugged);
            throw e;
        }
    }

    /** The {@code <bandwidth>} of interface {@code index} of the definition, set on its new TAP as libvirt does. */
    private void shapeAsDefined(String xml, int index, String tap) {
        org.jvirtd.model.domain.DomainEditor def = org.jvirtd.model.domain.DomainEditor.of(xml);
        Map<String, Map<String, Long>> bandwidth = new java.util.LinkedHashMap<>();
        for (String direction : List.of("inbound", "outbound")) {
            Map<String, Long> values = new java.util.LinkedHashMap<>();
            def.deviceGrandchild("interface", index, "bandwidth", direction)
                .forEach((k, v) -> values.put(k, Long.parseLong(v.strip())));
            bandwidth.put(direction, values);
        }
        if (!bandwidth.get("inbound").isEmpty() || !bandwidth.get("outbound").isEmpty()) {
            shaping.apply(tap, bandwidth);
        }
    }

    /**
     * Plugs the TAP of one interface attached to a running guest (its {@code <interface>} element, for its
     * filterref), binds its filter and adds it to the run's recorded TAPs; returns its name, or null when the
     * interface needs none.
     */
    public String plug(DomainHandle h, GuestDef.Interface net, Element device) {
        String bridge = bridgeOf(net);
        if (bridge == null) {
            return null;
        }
        String tap = taps.create(ownName(net.targetDev()), hostMac(net.mac()), bridge);
        try {
            filters.attach(h, PortFilters.filterRef(device), tap, net.mac());
        } catch (RuntimeException e) {
            taps.delete(tap);
            throw e;
        }
        List<String> all = new ArrayList<>(recorded(h.runtime()));
        all.add(tap);
        h.putRuntime(Map.of(TAPS, String.join(" ", all)));
        return tap;
    }

    /** Unplugs one recorded TAP of a running guest (its interface was detached) and forgets it. */
    public void unplug(DomainHandle h, String tap) {
        List<String> rest = new ArrayList<>(recorded(h.runtime()));
        if (rest.remove(tap)) {
            filters.detach(tap);
            taps.delete(tap);
            h.putRuntime(Map.of(TAPS, String.join(" ", rest)));
        }
    }

    public void unplug(List<String> devices) {
        devices.forEach(filters::detach);
        devices.forEach(taps::delete);
    }

    /**
     * Unplugs the devices at the first call only, however many ends of a run (exit, destroy, failed start)
     * ask; a call made while another is unplugging returns when the devices are gone.
     */
    public Runnable unplugOnce(Supplier<List<String>> devices) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            synchronized (done) {
                if (!done.getAndSet(true)) {
                    unplug(devices.get());
                }
            }
        };
    }

    /** The TAP devices a run recorded in its runtime facts. */
    public static List<String> recorded(Map<String, String> facts) {
        String taps = facts.getOrDefault(TAPS, "").strip();
        return taps.isEmpty() ? List.of() : Arrays.asList(taps.split(" "));
    }

    /** The bridge an interface joins: its own for type='bridge', its network's for type='network', else none. */
    String bridgeOf(GuestDef.Interface net) {
        if ("bridge".equals(net.type())) {
            return net.sourceBridge();
        }
        if (!"network".equals(net.type())) {
            return null;
        }
        Networks service = networks;
        if (service == null) {
            throw VirtErrors.driverUnavailable("network");
        }
        NetworkRef ref = service.lookupByName(net.sourceNetwork());
        if (!service.isActive(ref)) {
            throw VirtErrors.operationInvalid(ErrorDomain.NETWORK, "network '" + net.sourceNetwork() + "' is not active");
        }
        return service.bridgeName(ref);
    }

    private static String ownName(String targetDev) {
        if (targetDev == null || GENERATED_PREFIXES.stream().anyMatch(targetDev::startsWith)) {
            return null;
        }
        return targetDev;
    }

    /** libvirt gives the host side of a bridged TAP the guest's MAC with 0xfe first, so the bridge never takes it. */
    static String hostMac(String guestMac) {
        return guestMac == null ? null : "fe" + guestMac.substring(2);
    }
}
