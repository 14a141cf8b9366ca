/** Facts of the host's network devices that sysfs does not show (ethtool offload features), unix socket peers and descriptors. */
@Export
@Version("1.1.0")
package org.jvirtd.platform.net;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
