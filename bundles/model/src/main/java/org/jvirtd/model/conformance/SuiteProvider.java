package org.jvirtd.model.conformance;

import java.util.Map;

/**
 * Contributes conformance suites from another bundle (dnsmasq config, firewall rules, QEMU argv, ...),
 * found with {@link java.util.ServiceLoader} when the runner has every bundle jar on its class path.
 */
public interface SuiteProvider {
    /** Suite name (the folder name under ../shared/conformance) to the handler that runs its cases. */
    Map<String, SuiteHandler> suites();
}
