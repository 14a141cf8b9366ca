/** Terminals the daemon opens for clients (guest consoles), without becoming their controlling process. */
@Export
@Version("1.0.0")
package org.jvirtd.platform.tty;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
