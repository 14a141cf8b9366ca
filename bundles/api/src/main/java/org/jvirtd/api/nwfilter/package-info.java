/** The network filter types clients see: filters, bindings and the driver's API (virNWFilter*). */
@Export
@Version("1.0.0")
package org.jvirtd.api.nwfilter;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
