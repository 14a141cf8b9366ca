/** Cyrus SASL on the server side (libsasl2 through JNA): the library libvirtd authenticates its clients with. */
@Export
@Version("1.0.0")
package org.jvirtd.platform.sasl;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
