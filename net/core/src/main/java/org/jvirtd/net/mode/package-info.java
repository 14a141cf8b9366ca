/** What the forward modes share: a plan of a network's host side, and the code that carries it out. */
@Export
@Version("1.0.0")
package org.jvirtd.net.mode;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
