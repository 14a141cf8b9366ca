/** libvirt node device XML: the facts of one host device and their format (virNodeDeviceGetXMLDesc). */
@Export
@Version("0.1.0")
package org.jvirtd.model.nodedev;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
