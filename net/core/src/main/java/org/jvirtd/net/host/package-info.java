/** Host network helpers: commands in a namespace, bridges, taps and veth pairs, subnet arithmetic. */
@Export
@Version("1.0.0")
package org.jvirtd.net.host;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
