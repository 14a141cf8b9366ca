/** The client-side API core offers to the RPC server and the shell. */
@Export
@Version("1.9.0")
package org.jvirtd.api.connect;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
