/** libvirt secret XML: definitions, parse, format and the schema check of virsh's --validate. */
@Export
@Version("0.1.0")
package org.jvirtd.model.secret;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
