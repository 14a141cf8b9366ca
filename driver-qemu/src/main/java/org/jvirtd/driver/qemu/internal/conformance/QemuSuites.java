package org.jvirtd.driver.qemu.internal.conformance;

import java.util.Map;

import org.jvirtd.model.conformance.SuiteHandler;
import org.jvirtd.model.conformance.SuiteProvider;

/**
 * Contributes the qemuxml2argv suite to the conformance runner.
 */
public final class QemuSuites implements SuiteProvider {
    @Override
    public Map<String, SuiteHandler> suites() {
        return Map.of("qemuxml2argv", QemuXmlToArgv::run);
    }
}
