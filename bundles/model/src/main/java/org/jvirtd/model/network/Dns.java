package org.jvirtd.model.network;

import java.util.List;

/**
 * {@code <dns>}: the network's DNS service and the records it serves.
 */
public record Dns(Boolean enable, Boolean forwardPlainNames, List<Forwarder> forwarders, List<Txt> txts,
                  List<Srv> srvs, List<Host> hosts) {
    public Dns {
        forwarders = List.copyOf(forwarders);
        txts = List.copyOf(txts);
        srvs = List.copyOf(srvs);
        hosts = List.copyOf(hosts);
    }

    /** True when any record is present. */
    public boolean hasRecords() {
        return !forwarders.isEmpty() || !txts.isEmpty() || !srvs.isEmpty() || !hosts.isEmpty();
    }

    /** {@code <forwarder domain addr/>}. */
    public record Forwarder(String domain, String addr) {
    }

    /** {@code <txt name value/>}. */
    public record Txt(String name, String value) {
    }

    /** {@code <srv>}; zero port, priority and weight are absent. */
    public record Srv(String service, String protocol, String domain, String target, int port, int priority,
                      int weight) {
    }

    /** {@code <host ip><hostname/>...</host>}. */
    public record Host(String ip, List<String> hostnames) {
        public Host {
            hostnames = List.copyOf(hostnames);
        }
    }
}
