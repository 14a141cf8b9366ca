/** Errors every jvirtd layer reports: libvirt's codes, domains and wording. */
@Export
@Version("1.5.0")
package org.jvirtd.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
