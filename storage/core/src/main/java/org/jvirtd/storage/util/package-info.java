/**
 * What every storage backend shares, as libvirt's storage_util does: host commands, the pure qemu-img,
 * mount and vgchange command lines, file-volume handling for directory-like pools, and the errors.
 */
@Export
@Version("1.0.0")
package org.jvirtd.storage.util;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
