package org.jvirtd.model.xml;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses untrusted XML: no DTDs, no external entities, a size bound; failures become libvirt's
 * VIR_ERR_XML_ERROR.
 */
public final class SafeXml {
    /** libvirt refuses documents above 10 MiB (VIR_XML_MAX); jvirtd keeps the same bound. */
    public static final int MAX_DOCUMENT_CHARS = 10 * 1024 * 1024;

    private SafeXml() {
    }

    public static Document parse(String xml) {
        if (xml == null || xml.isBlank()) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.XML, "(null):1: Document is empty");
        }
        if (xml.length() > MAX_DOCUMENT_CHARS) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.XML,
                "document of " + xml.length() + " characters exceeds the limit of " + MAX_DOCUMENT_CHARS);
        }
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (SAXParseException e) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.XML,
                "(null):" + e.getLineNumber() + ": " + e.getMessage());
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.XML, e.getMessage());
        }
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(true);
        return factory;
    }

    /** Serializes a document without the XML declaration, indented by two spaces. */
    public static String format(Document document) {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty(OutputKeys.ENCODING, StandardCharsets.UTF_8.name());
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toString().strip() + "\n";
        } catch (TransformerException e) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.XML, e.getMessage(), e);
        }
    }
}
