/** The daemon's configuration and paths. */
@Export
@Version("1.3.0")
package org.jvirtd.core.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
