/** Domain lifecycle events, published by drivers through core and delivered to clients. */
@Export
@Version("1.2.0")
package org.jvirtd.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
