package org.jvirtd.model.storage;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Element;

/**
 * The two documents of virConnectFindStoragePoolSources: the {@code <source>} a caller passes to say where to
 * look (a host, for network pools), and the {@code <sources>} list of what was found, each entry a pool
 * {@code <source>} in libvirt's element order.
 */
public final class PoolSourceListXml {
    private PoolSourceListXml() {
    }

    /** The search's {@code <source>} document, read as a pool of {@code type} reads its source. */
    public static PoolSource parseSpec(String xml, PoolType type) {
        Element root = SafeXml.parse(xml, ErrorDomain.STORAGE, "storage_source_specification").getDocumentElement();
        if (!"source".equals(root.getLocalName()) || root.getNamespaceURI() != null) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.STORAGE, "root element was not source");
        }
        return PoolSourceXml.parse(root, type);
    }

    /** {@code <sources>} with one {@code <source>} per found pool source (none: an empty list). */
    public static String format(PoolType type, List<PoolSource> sources) {
        StringBuilder out = new StringBuilder("<sources>\n");
        for (PoolSource source : sources) {
            PoolSourceXml.format(source, type).write(out, 2);
        }
        return out.append("</sources>\n").toString();
    }
}
