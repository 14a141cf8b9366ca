/** The QEMU driver's post-parse pass over domain definitions: defaults, implicit devices and device addresses. */
@Export
@Version("0.1.0")
package org.jvirtd.model.domain.qemu;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
