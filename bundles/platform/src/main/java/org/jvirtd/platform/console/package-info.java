/** The operator shell's wire format and socket path, shared by the daemon and bin/jvirtd-shell. */
@Export
@Version("1.0.0")
package org.jvirtd.platform.console;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
