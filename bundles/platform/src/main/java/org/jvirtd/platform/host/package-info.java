/** Facts of the host the daemon runs on, read from sysfs as libvirt reads them. */
@Export
@Version("1.0.0")
package org.jvirtd.platform.host;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
