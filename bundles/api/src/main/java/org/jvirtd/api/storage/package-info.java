/** Storage: the backend SPI (one backend per pool type) and the records clients see. */
@Export
@Version("1.2.0")
package org.jvirtd.api.storage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
