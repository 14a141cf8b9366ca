/** Config files in libvirtd.conf / qemu.conf syntax. */
@Export
@Version("1.0.0")
package org.jvirtd.platform.conf;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
