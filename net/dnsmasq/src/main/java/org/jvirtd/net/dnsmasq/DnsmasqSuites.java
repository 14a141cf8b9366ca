package org.jvirtd.net.dnsmasq;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.jvirtd.api.VirtException;
import org.jvirtd.model.conformance.ConformanceCase;
import org.jvirtd.model.conformance.SuiteHandler;
import org.jvirtd.model.conformance.SuiteProvider;
import org.jvirtd.model.conformance.TextCompare;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.model.network.NetworkXml;

/**
 * The networkxml2conf conformance suite: network XML through {@link DnsmasqConfig}, compared with
 * libvirt's dnsmasq.conf and hosts file.
 */
public final class DnsmasqSuites implements SuiteProvider {
    /** The state directory libvirt's test uses in expected paths. */
    static final Path LIBVIRT_STATE_DIR = Path.of("/var/lib/libvirt/dnsmasq");

    @Override
    public Map<String, SuiteHandler> suites() {
        return Map.of("networkxml2conf", DnsmasqSuites::networkXmlToConf);
    }

    static String networkXmlToConf(ConformanceCase c) throws Exception {
        DnsmasqConfig.Output out;
        try {
            NetworkDef def = NetworkXml.parse(c.read("input"));
            out = DnsmasqConfig.write(def, new DnsmasqConfig.Files(LIBVIRT_STATE_DIR, null));
        } catch (VirtException e) {
            return c.expectsParseError() || c.expectsFailure() ? null : "failed: " + e.getMessage();
        }
        if (c.expectsParseError() || c.expectsFailure()) {
            return "expected a failure, but a config was written";
        }
        String conf = TextCompare.unwrapped(c.read("expectedConf"), out.conf());
        if (conf != null) {
            return "conf " + conf;
        }
        Path hosts = c.file("expectedHostsfile");
        if (hosts == null) {
            return out.hostsfile().isEmpty() ? null : "unexpected DHCP host entries: " + out.hostsfile().strip();
        }
        String diff = TextCompare.unwrapped(Files.readString(hosts, StandardCharsets.UTF_8), out.hostsfile());
        return diff == null ? null : "hostsfile " + diff;
    }
}
