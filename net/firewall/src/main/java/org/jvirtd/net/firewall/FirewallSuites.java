package org.jvirtd.net.firewall;

import java.util.Map;

import org.jvirtd.api.VirtException;
import org.jvirtd.model.conformance.ConformanceCase;
import org.jvirtd.model.conformance.SuiteHandler;
import org.jvirtd.model.conformance.SuiteProvider;
import org.jvirtd.model.conformance.TextCompare;
import org.jvirtd.model.network.NetworkXml;

/**
 * The networkxml2firewall conformance suite: network XML through the iptables backend's rule writer,
 * rendered as libvirt's dry run prints it (private chain setup, then the network's rules).
 */
public final class FirewallSuites implements SuiteProvider {
    @Override
    public Map<String, SuiteHandler> suites() {
        return Map.of("networkxml2firewall", FirewallSuites::networkXmlToFirewall);
    }

    static String networkXmlToFirewall(ConformanceCase c) throws Exception {
        IptablesRules rules = new IptablesRules("LIBVIRT");
        StringBuilder out = new StringBuilder();
        try {
            rules.privateChains().forEach(argv -> out.append(CommandLines.render(argv)));
            rules.add(NetworkXml.parse(c.read("input"))).forEach(argv -> out.append(CommandLines.render(argv)));
        } catch (VirtException e) {
            return c.expectsParseError() || c.expectsFailure() ? null : "failed: " + e.getMessage();
        }
        if (c.expectsParseError() || c.expectsFailure()) {
            return "expected a failure, but rules were written";
        }
        String base = c.file("globalChainPrefix") == null ? "" : c.read("globalChainPrefix");
        return TextCompare.raw(base + c.read("expectedArgs"), out.toString());
    }
}
