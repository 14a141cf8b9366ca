/** Calls on the D-Bus system bus through libdbus (JNA): polkit's CheckAuthorization. */
@Export
@Version("1.0.0")
package org.jvirtd.platform.dbus;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
