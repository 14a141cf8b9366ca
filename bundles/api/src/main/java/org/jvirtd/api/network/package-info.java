/** Network SPI (forward modes and the DHCP/DNS and firewall services they use) and the network types clients see. */
@Export
@Version("1.2.0")
package org.jvirtd.api.network;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
