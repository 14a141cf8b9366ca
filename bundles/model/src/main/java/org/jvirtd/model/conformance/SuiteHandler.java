package org.jvirtd.model.conformance;

/**
 * Runs one case of a suite through the project's parse/format code.
 */
@FunctionalInterface
public interface SuiteHandler {
    /**
     * Runs a case.
     *
     * @return null when the case passes, otherwise why it failed
     */
    String run(ConformanceCase c) throws Exception;
}
