package org.example.hello;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.domain.StateReason;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.api.driver.HypervisorDriver;
import org.osgi.service.component.annotations.Component;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The hello hypervisor behind hello:///default: its guests run nowhere but in the daemon's records. It shows
 * what a driver built outside jvirtd has to do, and no more: name the URI scheme it serves, check a definition
 * is one of its own, and start and stop guests; jvirtd's core keeps the definitions, states and events.
 * <p>
 * libvirt's domain XML knows a fixed list of hypervisor types, so hello's guests are {@code <domain type='none'>}.
 */
@Component(service = HypervisorDriver.class, property = HypervisorDriver.PROPERTY + "=" + HelloDriver.NAME)
public final class HelloDriver implements HypervisorDriver {
    static final String NAME = "hello";
    static final String DOMAIN_TYPE = "none";
    private static final String STARTED = "hello.started";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String type() {
        return "HELLO";
    }

    @Override
    public ErrorDomain errorDomain() {
        return ErrorDomain.NONE;
    }

    @Override
    public long hypervisorVersion() {
        return 1_000_000;
    }

    @Override
    public boolean accepts(URI uri) {
        return NAME.equals(uri.getScheme()) && "/default".equals(uri.getPath());
    }

    @Override
    public String capabilities() {
        return HelloCapabilities.XML;
    }

    @Override
    public int maxVcpus(String type) {
        return 1;
    }

    @Override
    public String validateDefinition(String xml) {
        String type = rootType(xml);
        if (!DOMAIN_TYPE.equals(type)) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NONE,
                "the hello hypervisor runs only domains of type '" + DOMAIN_TYPE + "', not '" + type + "'");
        }
        return xml;
    }

    @Override
    public void start(DomainHandle domain, boolean paused) {
        domain.putRuntime(Map.of(STARTED, Long.toString(System.currentTimeMillis())));
    }

    @Override
    public void shutdown(DomainHandle domain) {
        domain.stateChanged(DomainState.SHUTOFF, StateReason.SHUTOFF_SHUTDOWN);
    }

    @Override
    public void destroy(DomainHandle domain) {
        // Nothing runs: core records the stop.
    }

    @Override
    public boolean reattach(DomainHandle domain) {
        // A guest of a driver instance before an update or restart is still "running": core kept its status.
        return true;
    }

    /** The type attribute of the domain element, read with the JDK's parser (external entities refused). */
    private static String rootType(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)))
                .getDocumentElement().getAttribute("type");
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.NONE, "hello: unreadable domain XML: " + e.getMessage());
        }
    }
}
