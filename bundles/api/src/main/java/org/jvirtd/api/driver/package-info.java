/** The hypervisor driver SPI: what a driver bundle implements and what core gives it. */
@Export
@Version("1.2.0")
package org.jvirtd.api.driver;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
