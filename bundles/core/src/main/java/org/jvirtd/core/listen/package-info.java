/** Listening sockets that outlive an update of the bundle serving them. */
@Export
@Version("1.0.0")
package org.jvirtd.core.listen;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
