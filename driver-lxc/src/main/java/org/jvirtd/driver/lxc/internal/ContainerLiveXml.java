package org.jvirtd.driver.lxc.internal;

import java.util.List;
import java.util.Map;

import org.jvirtd.driver.lxc.internal.controller.ControllerConfig;
import org.jvirtd.model.domain.DomainEditor;
import org.jvirtd.model.domain.DomainXml;

/**
 * The live definition of a started container: the host pty of its console ({@code tty} and {@code <source
 * path>}, what {@code virsh ttyconsole} reads), each interface's host veth as {@code <target dev>}, and
 * libvirt's aliases.
 */
final class ContainerLiveXml {
    private ContainerLiveXml() {
    }

    static String of(String xml, int id, String consolePty, List<ControllerConfig.Veth> veths) {
        DomainEditor doc = DomainEditor.of(xml);
        for (int i = 0; i < doc.count("console"); i++) {
            if (i == 0 && "pty".equals(doc.attr("console", 0, null, "type"))) {
                doc.setAttr("console", 0, "tty", consolePty);
                doc.setFirstChild("console", 0, "source", Map.of("path", consolePty));
            }
            doc.addAlias("console", i, "console" + i);
        }
        for (int i = 0; i < doc.count("interface") && i < veths.size(); i++) {
            doc.setFirstChild("interface", i, "target", Map.of("dev", veths.get(i).host()));
            doc.addAlias("interface", i, "net" + i);
        }
        for (int i = 0; i < doc.count("filesystem"); i++) {
            doc.addAlias("filesystem", i, "fs" + i);
        }
        return doc.format(id, DomainXml.SECURE | DomainXml.STATUS);
    }
}
