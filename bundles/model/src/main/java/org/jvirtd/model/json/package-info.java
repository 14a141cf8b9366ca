/** JSON as libvirt's neighbours speak it: QMP messages, QEMU's JSON command-line syntax, test data. */
@Export
@Version("0.1.0")
package org.jvirtd.model.json;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
