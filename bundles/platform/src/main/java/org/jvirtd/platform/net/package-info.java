/** Read-only facts of the host's network devices that sysfs does not show (ethtool offload features). */
@Export
@Version("1.0.0")
package org.jvirtd.platform.net;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
