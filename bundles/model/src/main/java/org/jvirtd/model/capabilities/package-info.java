/** libvirt host capabilities XML: definitions, parse and format. */
@Export
@Version("0.1.0")
package org.jvirtd.model.capabilities;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
