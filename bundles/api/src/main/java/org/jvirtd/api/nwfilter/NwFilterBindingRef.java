package org.jvirtd.api.nwfilter;

import java.util.Objects;

/**
 * A filter binding's identity (virNWFilterBindingPtr, remote_nonnull_nwfilter_binding): the port device the
 * filter is applied to and the name of the filter.
 */
public record NwFilterBindingRef(String portDev, String filterName) {
    public NwFilterBindingRef {
        Objects.requireNonNull(portDev, "portDev");
        Objects.requireNonNull(filterName, "filterName");
    }
}
