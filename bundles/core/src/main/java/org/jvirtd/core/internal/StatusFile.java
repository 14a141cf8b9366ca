package org.jvirtd.core.internal;

import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The live status file of an active domain, readable by a human:
 * {@code <domstatus state='running' reason='1' id='3'><runtime key='pid' value='..'/><domain ..>}.
 */
record StatusFile(DomainState state, int reason, int id, Map<String, String> runtime, String liveXml) {

    String format() {
        StringBuilder out = new StringBuilder();
        out.append("<domstatus state='").append(state.name().toLowerCase()).append("' reason='").append(reason)
            .append("' id='").append(id).append("'>\n");
        for (Map.Entry<String, String> fact : runtime.entrySet()) {
            out.append("  <runtime key='").append(escape(fact.getKey())).append("' value='")
                .append(escape(fact.getValue())).append("'/>\n");
        }
        out.append(liveXml.strip()).append("\n</domstatus>\n");
        return out.toString();
    }

    static StatusFile parse(String text) {
        Document document = SafeXml.parse(text, ErrorDomain.DOMAIN, "domstatus");
        Element root = document.getDocumentElement();
        DomainState state = DomainState.valueOf(root.getAttribute("state").toUpperCase());
        int reason = Integer.parseInt(root.getAttribute("reason"));
        int id = Integer.parseInt(root.getAttribute("id"));
        Map<String, String> runtime = new LinkedHashMap<>();
        String live = null;
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                if ("runtime".equals(e.getLocalName())) {
                    runtime.put(e.getAttribute("key"), e.getAttribute("value"));
                } else if ("domain".equals(e.getLocalName())) {
                    live = serialize(e);
                }
            }
        }
        return new StatusFile(state, reason, id, runtime, live);
    }

    private static String serialize(Element element) {
        try {
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(element), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot serialize the live definition", e);
        }
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("'", "&apos;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
