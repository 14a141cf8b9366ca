/** The host interface types clients see: references and flags (virInterface*). */
@Export
@Version("1.0.0")
package org.jvirtd.api.iface;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
