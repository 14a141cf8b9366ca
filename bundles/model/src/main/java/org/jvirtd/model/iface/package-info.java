/** libvirt host interface XML as the udev backend reports it (virInterfaceGetXMLDesc). */
@Export
@Version("0.1.0")
package org.jvirtd.model.iface;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
