package org.jvirtd.model.xml;

import java.io.IOException;
import java.io.StringReader;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses untrusted XML: no DTDs, no entities, no external resources, a size bound; a malformed document
 * is libvirt's VIR_ERR_XML_DETAIL, a wrong root element VIR_ERR_XML_ERROR.
 */
public final class SafeXml {
    /** libvirt's clients refuse documents above 10 MiB (VSH_MAX_XML_FILE); jvirtd keeps the same bound. */
    public static final int MAX_DOCUMENT_CHARS = 10 * 1024 * 1024;

    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    /**
     * Finding and configuring a factory costs more than parsing a domain definition (a service lookup
     * through the bundle's class loader), and builders are not thread-safe: one builder per thread.
     */
    private static final ThreadLocal<DocumentBuilder> BUILDERS = ThreadLocal.withInitial(SafeXml::newBuilder);

    private SafeXml() {
    }

    /**
     * Parses a document and checks its root element.
     *
     * @param label what libvirt names the document in messages, e.g. "network_definition"
     */
    public static Element parseRoot(String xml, String root, ErrorDomain domain, String label) {
        Element element = parse(xml, domain, label).getDocumentElement();
        if (!root.equals(element.getLocalName()) || element.getNamespaceURI() != null) {
            throw new VirtException(ErrorCode.XML_ERROR, domain,
                "expecting root element of '" + root + "', not '" + element.getLocalName() + "'");
        }
        return element;
    }

    public static Document parse(String xml, ErrorDomain domain, String label) {
        if (xml == null || xml.isEmpty()) {
            // libvirt adds libxml2's context: no line (printed as "(null)") and a caret under it
            throw new VirtException(ErrorCode.XML_DETAIL, domain, "(" + label + "):1: Document is empty\n(null)\n^");
        }
        if (xml.isBlank()) {
            // libxml2 reads the blanks and wants a start tag at the end: its line, libvirt's context of the end
            long line = xml.chars().filter(c -> c == '\n').count() + 1;
            throw new VirtException(ErrorCode.XML_DETAIL, domain, "(" + label + "):" + line
                + ": Start tag expected, '<' not found\n" + context(xml, xml.length()));
        }
        if (xml.length() > MAX_DOCUMENT_CHARS) {
            throw new VirtException(ErrorCode.XML_DETAIL, domain, "(" + label + "): document of " + xml.length()
                + " characters exceeds the limit of " + MAX_DOCUMENT_CHARS);
        }
        try {
            DocumentBuilder builder = BUILDERS.get();
            builder.reset();
            builder.setErrorHandler(SILENT);
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (SAXParseException e) {
            String libxml2 = Libxml2Messages.describe(xml);
            throw new VirtException(ErrorCode.XML_DETAIL, domain, "(" + label + "):"
                + (libxml2 != null ? libxml2 : e.getLineNumber() + ": " + e.getMessage()));
        } catch (SAXException | IOException e) {
            throw new VirtException(ErrorCode.XML_DETAIL, domain, "(" + label + "): " + e.getMessage());
        }
    }

    /**
     * What libvirt prints under a libxml2 error at offset {@code cursor}: the line the cursor is on (up to the
     * cursor's line end; "(null)" when that is empty), then a '-' per character before the cursor and '^'.
     */
    static String context(String xml, int cursor) {
        int start = Math.min(cursor, xml.length());
        while (start > 0 && start < xml.length() && isLineEnd(xml.charAt(start))) {
            start--;
        }
        while (start > 0 && (start >= xml.length() || !isLineEnd(xml.charAt(start)))) {
            start--;
        }
        if (start < xml.length() && isLineEnd(xml.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < xml.length() && !isLineEnd(xml.charAt(end))) {
            end++;
        }
        String line = xml.substring(start, end);
        return (line.isEmpty() ? "(null)" : line) + "\n" + "-".repeat(Math.max(0, cursor - start)) + "^";
    }

    private static boolean isLineEnd(char c) {
        return c == '\n' || c == '\r';
    }

    private static DocumentBuilder newBuilder() {
        try {
            return factory().newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a hardening feature", e);
        }
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(true);
        return factory;
    }
}
