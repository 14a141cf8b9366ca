package org.jvirtd.driver.xen.internal.conformance;

import java.util.Map;

import org.jvirtd.model.conformance.SuiteHandler;
import org.jvirtd.model.conformance.SuiteProvider;

/**
 * Contributes the Xen conversion suites to the conformance runner.
 */
public final class XenSuites implements SuiteProvider {
    @Override
    public Map<String, SuiteHandler> suites() {
        return Map.of("xlconfig", XlConfigSuite::run, "libxlxml2domconfig", LibxlDomainConfigSuite::run);
    }
}
