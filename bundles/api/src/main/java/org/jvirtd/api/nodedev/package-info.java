/** The node device types clients see: capability types and list flags (virNodeDevice*). */
@Export
@Version("1.1.0")
package org.jvirtd.api.nodedev;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
