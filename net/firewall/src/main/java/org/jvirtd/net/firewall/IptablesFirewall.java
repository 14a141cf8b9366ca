package org.jvirtd.net.firewall;

import java.util.List;

import org.jvirtd.api.VirtException;
import org.jvirtd.api.network.Firewall;
import org.jvirtd.api.network.NetworkHandle;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.model.network.NetworkXml;
import org.jvirtd.net.host.HostCommand;
import org.osgi.service.component.annotations.Component;

/**
 * The iptables backend: libvirt's rules (networkxml2firewall) in jvirtd's own JVIRTD_* chains, which it
 * creates on first use; a network's rules are deleted one by one when it stops.
 */
@Component(property = Firewall.PROPERTY + "=iptables")
public final class IptablesFirewall implements Firewall {
    private final IptablesRules rules = new IptablesRules("JVIRTD");

    @Override
    public void apply(NetworkHandle network) {
        NetworkDef def = NetworkXml.parse(network.xml());
        HostCommand host = new HostCommand(network.netns());
        ensureChains(host);
        try {
            rules.add(def).forEach(argv -> host.check(argv, null));
        } catch (VirtException e) {
            rules.remove(def).forEach(argv -> host.run(argv, null));
            throw e;
        }
    }

    @Override
    public void remove(NetworkHandle network) {
        HostCommand host = new HostCommand(network.netns());
        rules.remove(NetworkXml.parse(network.xml())).forEach(argv -> host.run(argv, null));
    }

    /** Creates the private chains and their jumps where a table lacks them. */
    private void ensureChains(HostCommand host) {
        for (String tool : List.of(IptablesRules.V4, IptablesRules.V6)) {
            for (String[] chain : IptablesRules.chainTable()) {
                String name = rules.chain(chain[1]);
                String listing = host.check(tool, "-w", "--table", chain[0], "--list-rules");
                if (!listing.contains("-N " + name + "\n")) {
                    host.check(tool, "-w", "--table", chain[0], "--new-chain", name);
                    host.check(tool, "-w", "--table", chain[0], "--insert", chain[2], "--jump", name);
                }
            }
        }
    }
}
