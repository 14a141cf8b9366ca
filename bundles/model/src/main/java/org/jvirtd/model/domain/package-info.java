/** libvirt domain XML: definitions, parse and format. */
@Export
@Version("0.4.0")
package org.jvirtd.model.domain;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
