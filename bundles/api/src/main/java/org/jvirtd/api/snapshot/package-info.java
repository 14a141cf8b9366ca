/** Domain snapshots as clients see them: references and libvirt's flag values. */
@Export
@Version("1.0.0")
package org.jvirtd.api.snapshot;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
