package org.jvirtd.driver.qemu.internal.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Networks;
import org.jvirtd.api.domain.DomainInterface;
import org.jvirtd.api.network.DhcpLease;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * A guest's interface addresses as libvirt's QEMU driver finds them without the guest's help: from the DHCP
 * leases of the virtual networks its interfaces are on, or from the ARP table of the network namespace QEMU
 * runs in. Interfaces with no address are left out, as libvirt leaves them out.
 */
public final class InterfaceAddresses {
    private InterfaceAddresses() {
    }

    public static List<DomainInterface> find(GuestDef def, int source, Networks networks, long qemuPid) {
        return switch (source) {
            case DomainInterface.SOURCE_LEASE -> fromLeases(def, networks);
            case DomainInterface.SOURCE_ARP -> fromArp(def, arpTable(qemuPid));
            case DomainInterface.SOURCE_AGENT -> throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED,
                ErrorDomain.QEMU, "QEMU guest agent is not configured");
            default -> throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, ErrorDomain.QEMU,
                "Unknown IP address data source " + source);
        };
    }

    private static List<DomainInterface> fromLeases(GuestDef def, Networks networks) {
        List<DomainInterface> result = new ArrayList<>();
        for (GuestDef.Interface nic : def.devices().interfaces()) {
            if (!"network".equals(nic.type())) {
                continue;
            }
            if (networks == null) {
                throw VirtErrors.driverUnavailable("network");
            }
            List<DhcpLease> leases = networks.leases(networks.lookupByName(nic.sourceNetwork()), nic.mac(), 0);
            if (!leases.isEmpty()) {
                result.add(new DomainInterface(nic.targetDev(), nic.mac(), leases.stream()
                    .map(l -> new DomainInterface.Address(l.type(), l.ipAddress(), l.prefix())).toList()));
            }
        }
        return result;
    }

    /** The host name a DHCP lease of one of the guest's network interfaces carries, null when none does. */
    public static String leaseHostname(GuestDef def, Networks networks) {
        for (GuestDef.Interface nic : def.devices().interfaces()) {
            if (!"network".equals(nic.type()) || networks == null) {
                continue;
            }
            for (DhcpLease lease : networks.leases(networks.lookupByName(nic.sourceNetwork()), nic.mac(), 0)) {
                if (lease.hostname() != null && !lease.hostname().isEmpty()) {
                    return lease.hostname();
                }
            }
        }
        return null;
    }

    /** /proc/net/arp lines: "IP address  HW type  Flags  HW address  Mask  Device". */
    static List<DomainInterface> fromArp(GuestDef def, List<String> arp) {
        List<DomainInterface> result = new ArrayList<>();
        for (GuestDef.Interface nic : def.devices().interfaces()) {
            List<DomainInterface.Address> addresses = new ArrayList<>();
            for (String line : arp.subList(Math.min(1, arp.size()), arp.size())) {
                String[] f = line.trim().split("\\s+");
                // flags 0x0: an incomplete entry, no answer seen from that address
                if (f.length >= 4 && f[3].equalsIgnoreCase(nic.mac()) && !"0x0".equals(f[2])) {
                    addresses.add(new DomainInterface.Address(0, f[0], 0));
                }
            }
            if (!addresses.isEmpty()) {
                result.add(new DomainInterface(nic.targetDev(), nic.mac(), addresses));
            }
        }
        return result;
    }

    private static List<String> arpTable(long qemuPid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(qemuPid), "net", "arp"));
        } catch (IOException e) {
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "cannot read the ARP table: " + e.getMessage());
        }
    }
}
