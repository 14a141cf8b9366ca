package org.jvirtd.model.capabilities;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Dom;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.Uuids;
import org.jvirtd.model.internal.XmlTag;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Element;

/**
 * Parses and formats libvirt capabilities XML, with the blank lines libvirt puts between host and guests.
 */
public final class CapabilitiesXml {
    private static final ErrorDomain D = ErrorDomain.CAPABILITIES;

    private CapabilitiesXml() {
    }

    public static CapabilitiesDef parse(String xml) {
        Element root = SafeXml.parseRoot(xml, "capabilities", D, "capabilities");
        Element host = Dom.child(root, "host");
        if (host == null) {
            throw Errors.xml(D, "missing host element in capabilities");
        }
        String arch = Dom.trimmedText(Dom.child(host, "cpu"), "arch");
        List<CapabilitiesDef.Guest> guests = new ArrayList<>();
        for (Element g : Dom.children(root, "guest")) {
            Element a = Dom.child(g, "arch");
            if (a == null || Dom.attr(a, "name") == null) {
                throw Errors.xml(D, "missing guest arch name in capabilities");
            }
            String wordSize = Dom.trimmedText(a, "wordsize");
            guests.add(new CapabilitiesDef.Guest(Dom.trimmedText(g, "os_type"), Dom.attr(a, "name"),
                wordSize == null ? 0 : Integer.parseInt(wordSize), Dom.trimmedText(a, "emulator"),
                Dom.children(a, "machine").stream().map(m -> m.getTextContent().strip()).toList(),
                Dom.children(a, "domain").stream().map(d -> d.getAttribute("type")).toList()));
        }
        String uuid = Dom.trimmedText(host, "uuid");
        return new CapabilitiesDef(uuid == null ? null : Uuids.parse(D, uuid), arch, guests);
    }

    /** Formats capabilities; there are no flags in libvirt's capabilities API. */
    public static String format(CapabilitiesDef def) {
        StringBuilder out = new StringBuilder("<capabilities>\n\n");
        XmlTag host = XmlTag.of("host").textChild("uuid", def.hostUuid())
            .child(XmlTag.of("cpu").textChild("arch", def.hostArch()));
        host.write(out, 2);
        out.append('\n');
        for (CapabilitiesDef.Guest g : def.guests()) {
            XmlTag arch = XmlTag.of("arch").attr("name", g.arch())
                .textChild("wordsize", g.wordSize() > 0 ? g.wordSize() : null).textChild("emulator", g.emulator());
            g.machines().forEach(m -> arch.textChild("machine", m));
            g.domainTypes().forEach(t -> arch.child(XmlTag.of("domain").attr("type", t)));
            XmlTag.of("guest").textChild("os_type", g.osType()).child(arch).write(out, 2);
            out.append('\n');
        }
        return out.append("</capabilities>\n").toString();
    }
}
