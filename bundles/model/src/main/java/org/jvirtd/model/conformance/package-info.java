/** The conformance runner and the contract by which other bundles add suites to it. */
@Export
@Version("0.2.0")
package org.jvirtd.model.conformance;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
