package org.jvirtd.net.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.network.Bandwidth;
import org.jvirtd.model.network.NetworkDef;

/**
 * A network port's bandwidth as virNetworkPortGetParameters/SetParameters see it: the typed parameters
 * (VIR_NETWORK_PORT_BANDWIDTH_*, unsigned ints in KiB/s and KiB) read from and turned into the port's
 * {@code <bandwidth>}, with libvirt's rules: a set replaces all limits, a direction without an average (or,
 * inbound, a floor) is dropped, and a floor needs the network's inbound QoS.
 */
final class PortBandwidth {
    static final List<String> INBOUND = List.of("inbound.average", "inbound.peak", "inbound.floor", "inbound.burst");
    static final List<String> OUTBOUND = List.of("outbound.average", "outbound.peak", "outbound.burst");

    private PortBandwidth() {
    }

    /** The parameters of each direction the port has, inbound first, in libvirt's order; zero for unset. */
    static List<TypedParameter> parameters(Bandwidth bandwidth) {
        List<TypedParameter> params = new ArrayList<>();
        if (bandwidth == null) {
            return params;
        }
        Bandwidth.Rate in = bandwidth.inbound();
        if (in != null) {
            add(params, INBOUND, in.average(), in.peak(), in.floor(), in.burst());
        }
        Bandwidth.Rate out = bandwidth.outbound();
        if (out != null) {
            add(params, OUTBOUND, out.average(), out.peak(), out.burst());
        }
        return params;
    }

    private static void add(List<TypedParameter> params, List<String> names, Long... values) {
        for (int i = 0; i < names.size(); i++) {
            long value = values[i] == null ? 0 : values[i];
            params.add(new TypedParameter(names.get(i), TypedParameter.Type.UINT, (int) value));
        }
    }

    /**
     * The limits the parameters give, checked as virTypedParamsValidate checks them; with neither direction
     * left, an empty {@code <bandwidth>} (libvirt keeps one too, and lists no parameters for it).
     */
    static Bandwidth fromParameters(List<TypedParameter> params) {
        Map<String, Long> values = new HashMap<>();
        for (TypedParameter p : params) {
            if (!INBOUND.contains(p.field()) && !OUTBOUND.contains(p.field())) {
                throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.NONE,
                    "parameter '" + p.field() + "' not supported");
            }
            if (p.type() != TypedParameter.Type.UINT) {
                throw VirtErrors.invalidArg(ErrorDomain.NONE, "invalid type '" + p.type().label() + "' for parameter '"
                    + p.field() + "', expected 'uint'");
            }
            if (values.put(p.field(), Integer.toUnsignedLong((Integer) p.value())) != null) {
                throw VirtErrors.invalidArg(ErrorDomain.NONE, "parameter '" + p.field() + "' occurs multiple times");
            }
        }
        Bandwidth.Rate in = set(values, "inbound.average") || set(values, "inbound.floor")
            ? new Bandwidth.Rate(value(values, "inbound.average"), value(values, "inbound.peak"),
                value(values, "inbound.floor"), value(values, "inbound.burst")) : null;
        Bandwidth.Rate out = set(values, "outbound.average")
            ? new Bandwidth.Rate(value(values, "outbound.average"), value(values, "outbound.peak"), null,
                value(values, "outbound.burst")) : null;
        return new Bandwidth(in, out);
    }

    private static boolean set(Map<String, Long> values, String name) {
        return values.getOrDefault(name, 0L) != 0;
    }

    /** A limit as the XML keeps it: zero is no limit, not written. */
    private static Long value(Map<String, Long> values, String name) {
        return set(values, name) ? values.get(name) : null;
    }

    /**
     * libvirt's check of a port's new floor: none, or the same as before, needs nothing; a network without
     * inbound QoS refuses one. On a network with inbound QoS libvirt would give the port an htb class under the
     * bridge's; jvirtd does not shape network bridges, so it refuses that too rather than pretend.
     */
    static void checkFloor(NetworkDef network, String mac, Bandwidth before, Bandwidth after) {
        long floor = floor(after);
        if (floor == 0 || floor == floor(before)) {
            return;
        }
        Bandwidth qos = network.bandwidth();
        if (qos == null || qos.inbound() == null) {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.NETWORK, "Invalid use of 'floor' on "
                + "interface with MAC address " + mac + " - network '" + network.name() + "' has no inbound QoS set");
        }
        throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.NETWORK, "a 'floor' on network '"
            + network.name() + "' needs its inbound QoS on the bridge, which jvirtd does not apply");
    }

    private static long floor(Bandwidth bandwidth) {
        return bandwidth == null || bandwidth.inbound() == null || bandwidth.inbound().floor() == null ? 0
            : bandwidth.inbound().floor();
    }
}
