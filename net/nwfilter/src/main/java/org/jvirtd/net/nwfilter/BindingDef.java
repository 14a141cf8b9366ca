package org.jvirtd.net.nwfilter;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A filter binding (libvirt's nwfilterbinding XML): the domain that owns the port, the port device (a TAP), the
 * link device of a macvtap port, the guest's MAC address, and the filter with its parameters.
 */
record BindingDef(String ownerName, UUID ownerUuid, String portDev, String linkDev, String mac,
                  FilterDef.FilterRef filter) {

    /** The parameters the filter sees: the binding's own, and MAC as libvirt adds it when not given. */
    BindingDef withMacParameter() {
        if (filter.parameters().stream().anyMatch(p -> p.name().equals("MAC"))) {
            return this;
        }
        List<FilterDef.Parameter> params = new ArrayList<>(filter.parameters());
        params.add(new FilterDef.Parameter("MAC", mac));
        params.sort(java.util.Comparator.comparing(FilterDef.Parameter::name));
        return new BindingDef(ownerName, ownerUuid, portDev, linkDev, mac,
            new FilterDef.FilterRef(filter.filter(), List.copyOf(params)));
    }
}
