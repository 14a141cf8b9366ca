package org.jvirtd.net.core;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.network.ForwardMode;
import org.jvirtd.core.config.DaemonConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Tracks the forward mode services by {@link ForwardMode#PROPERTY}. A call for a mode that is missing (its
 * bundle being updated, or not started yet) waits up to the grace period for it.
 */
@Component(service = ForwardModes.class)
public final class ForwardModes {
    /** The modes a bundle of this project provides; others fail at once. */
    static final Set<String> KNOWN = Set.of("nat", "route", "bridge", "none", "open");

    private final long graceMillis;
    private final Map<String, ForwardMode> modes = new HashMap<>();

    @Activate
    public ForwardModes(@Reference DaemonConfig config) {
        this(config.graceMillis());
    }

    public ForwardModes(long graceMillis) {
        this.graceMillis = graceMillis;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    public synchronized void bindMode(ForwardMode mode) {
        modes.put(mode.mode(), mode);
        notifyAll();
    }

    public synchronized void unbindMode(ForwardMode mode) {
        modes.remove(mode.mode(), mode);
    }

    /** The mode by name, waiting for it up to the grace period. */
    synchronized ForwardMode require(String name) {
        if (!KNOWN.contains(name)) {
            throw unsupported(name);
        }
        long deadline = System.currentTimeMillis() + graceMillis;
        while (true) {
            ForwardMode mode = modes.get(name);
            if (mode != null) {
                return mode;
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.NETWORK,
                    "network forward mode " + name + " is not available");
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unsupported(name);
            }
        }
    }

    private static VirtException unsupported(String name) {
        return new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.NETWORK,
            "forward mode '" + name + "' is not supported by this daemon");
    }
}
