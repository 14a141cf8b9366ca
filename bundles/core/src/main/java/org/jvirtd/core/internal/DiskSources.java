package org.jvirtd.core.internal;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The host paths a domain definition's disks read or write: {@code <disk><source file|dev|dir=...>}.
 */
final class DiskSources {
    private DiskSources() {
    }

    static Set<Path> of(String domainXml) {
        Set<Path> paths = new HashSet<>();
        NodeList disks = SafeXml.parse(domainXml, ErrorDomain.DOMAIN, "domain_definition").getElementsByTagName("disk");
        for (int i = 0; i < disks.getLength(); i++) {
            NodeList sources = ((Element) disks.item(i)).getElementsByTagName("source");
            for (int j = 0; j < sources.getLength(); j++) {
                Element source = (Element) sources.item(j);
                for (String attribute : new String[] {"file", "dev", "dir"}) {
                    String value = source.getAttribute(attribute);
                    if (!value.isEmpty()) {
                        paths.add(Path.of(value).toAbsolutePath().normalize());
                    }
                }
            }
        }
        return paths;
    }
}
