/** Durable file writes for persistent state. */
@Export
@Version("1.1.0")
package org.jvirtd.platform.files;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
