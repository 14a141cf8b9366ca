/** Facts of the host the daemon runs on, read from sysfs as libvirt reads them, and thread CPU affinity. */
@Export
@Version("1.1.0")
package org.jvirtd.platform.host;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
