/** Domain identity, state and flags shared by drivers, core and clients. */
@Export
@Version("1.3.0")
package org.jvirtd.api.domain;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
