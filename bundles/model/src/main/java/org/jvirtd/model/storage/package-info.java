/** libvirt storage pool and volume XML: definitions, parse and format. */
@Export
@Version("0.2.0")
package org.jvirtd.model.storage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
