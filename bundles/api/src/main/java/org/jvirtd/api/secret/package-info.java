/** The secret types clients see: references, usage types, flags and events (virSecret*). */
@Export
@Version("1.1.0")
package org.jvirtd.api.secret;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
