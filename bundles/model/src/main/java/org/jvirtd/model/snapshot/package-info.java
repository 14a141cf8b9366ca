/** libvirt domain snapshot XML: the definition of one snapshot, parse and format. */
@Export
@Version("0.1.0")
package org.jvirtd.model.snapshot;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
