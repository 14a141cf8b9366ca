package org.jvirtd.driver.qemu.internal.block;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.model.domain.DomainEditor;
import org.jvirtd.model.domain.DomainXml;

/**
 * Writes a running disk's image chain into the live XML as libvirt shows it: the active image as the
 * {@code <source>} with its index, each backing image as a nested {@code <backingStore>} ending in an empty
 * one, and a block job's {@code <mirror>} while it runs. Layers are numbered from 1 at the active image.
 */
final class BackingChainXml {
    /**
     * The {@code <mirror>} of a copy or active commit: its job name, target image, whether it is ready, and
     * whether the target is an image of its own (a copy's, shown with its end of chain) or one of the disk's.
     */
    record Mirror(String job, String file, String format, int index, boolean ready, boolean ownChain) {
    }

    private BackingChainXml() {
    }

    static String apply(String xml, int id, int diskIndex, List<DiskChain.Layer> layers, Mirror mirror) {
        DomainEditor doc = DomainEditor.of(xml);
        DiskChain.Layer top = layers.get(0);
        Map<String, String> source = new LinkedHashMap<>();
        source.put("file", top.file());
        source.put("index", "1");
        doc.setFirstChild("disk", diskIndex, "source", source);
        if (!top.format().equals(doc.attr("disk", diskIndex, "driver", "type"))) {
            doc.replaceChild("disk", diskIndex, "driver", "<driver name='qemu' type='" + top.format() + "'/>", "source");
        }
        doc.replaceChild("disk", diskIndex, "backingStore", backingStore(layers, 1), "target");
        doc.replaceChild("disk", diskIndex, "mirror", mirror == null ? null : mirror(mirror), "target");
        return doc.format(id, DomainXml.SECURE | DomainXml.STATUS);
    }

    private static String backingStore(List<DiskChain.Layer> layers, int from) {
        if (from >= layers.size()) {
            return "<backingStore/>";
        }
        DiskChain.Layer layer = layers.get(from);
        return "<backingStore type='file' index='" + (from + 1) + "'><format type='" + layer.format() + "'/>"
            + "<source file='" + escape(layer.file()) + "'/>" + backingStore(layers, from + 1) + "</backingStore>";
    }

    private static String mirror(Mirror m) {
        String legacy = "copy".equals(m.job()) ? " file='" + escape(m.file()) + "' format='" + m.format() + "'" : "";
        return "<mirror type='file'" + legacy + " job='" + m.job() + "'" + (m.ready() ? " ready='yes'" : "") + ">"
            + "<format type='" + m.format() + "'/><source file='" + escape(m.file()) + "' index='" + m.index()
            + "'/>" + (m.ownChain() ? "<backingStore/>" : "") + "</mirror>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("'", "&apos;").replace("<", "&lt;");
    }
}
