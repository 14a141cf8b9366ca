package org.jvirtd.net.firewall;

import java.util.List;

import org.jvirtd.api.network.Firewall;
import org.jvirtd.api.network.NetworkHandle;
import org.jvirtd.model.network.NetworkDef;
import org.jvirtd.model.network.NetworkXml;
import org.jvirtd.net.host.HostCommand;
import org.osgi.service.component.annotations.Component;

/**
 * The default firewall backend: each network's rules in an nftables table of its own, replaced
 * atomically by {@code nft -f} and removed by deleting the table.
 */
@Component(property = Firewall.PROPERTY + "=nftables")
public final class NftablesFirewall implements Firewall {
    @Override
    public void apply(NetworkHandle network) {
        NetworkDef def = NetworkXml.parse(network.xml());
        new HostCommand(network.netns()).check(List.of("nft", "-f", "-"), NftablesRules.replace(def));
    }

    @Override
    public void remove(NetworkHandle network) {
        NetworkDef def = NetworkXml.parse(network.xml());
        new HostCommand(network.netns()).run("nft", "delete", "table", "inet", NftablesRules.table(def));
    }
}
