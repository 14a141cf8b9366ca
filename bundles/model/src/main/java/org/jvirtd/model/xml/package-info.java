/** Hardened XML parsing and formatting shared by every document type. */
@Export
@Version("0.1.0")
package org.jvirtd.model.xml;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
