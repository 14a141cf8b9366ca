package org.jvirtd.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection.FsInfo;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.model.domain.CpuSets;
import org.jvirtd.model.domain.DomainEditor;

/**
 * The calls libvirt answers through the QEMU guest agent, mapped onto the agent's commands as libvirt maps
 * them (guest-get-host-name, guest-get-time, guest-fsfreeze-*, guest-get-osinfo, ...) and its answers onto
 * libvirt's return values and typed parameters; the driver carries the commands to the guest.
 */
final class GuestAgentCalls {
    /** virDomainGuestInfoTypes. */
    static final int INFO_USERS = 1;
    static final int INFO_OS = 2;
    static final int INFO_TIMEZONE = 4;
    static final int INFO_HOSTNAME = 8;
    static final int INFO_FILESYSTEM = 16;
    static final int INFO_DISKS = 32;
    static final int INFO_INTERFACES = 64;
    private static final List<String> OS_FIELDS = List.of("id", "name", "pretty-name", "version", "version-id",
        "machine", "variant", "variant-id", "kernel-release", "kernel-version");

    private final DriverDomains domains;

    GuestAgentCalls(DriverDomains domains) {
        this.domains = domains;
    }

    /** Runs one agent command on a running domain (default timeout). */
    private Object agent(DomainRef ref, String command, Map<String, Object> arguments) {
        return domains.locked(ref, (d, hv) -> {
            domains.requireActive(d);
            if (d.agentTimeout() == 0 && hv.agentConnected(domains.handle(d))) {
                // "no wait": libvirt gives up on the answer at once
                throw new VirtException(ErrorCode.AGENT_UNRESPONSIVE, domains.from(), "Guest agent not available for now");
            }
            return hv.agent(domains.handle(d), command, arguments, d.agentTimeout());
        });
    }

    /**
     * virDomainAgentSetResponseTimeout: how long the agent calls of this domain wait from now on (seconds, -1
     * the default, -2 block, 0 no wait); a shut-off domain keeps it for its next run, as libvirt does.
     */
    void setResponseTimeout(DomainRef ref, int seconds) {
        if (seconds < -2) {
            throw VirtErrors.invalidArg(domains.from(), "guest agent timeout '" + seconds
                + "' is less than the minimum '-2'");
        }
        domains.lockedDo(ref, (d, hv) -> d.setAgentTimeout(seconds));
    }

    /**
     * A shutdown or reboot through the agent, when the flags ask for it (VIR_DOMAIN_SHUTDOWN_GUEST_AGENT 2) or
     * name no mode and the agent is connected, as libvirt chooses; false when the hypervisor's way (ACPI) is to
     * be used. With both the agent and ACPI asked, ACPI is the fallback for a missing agent.
     */
    boolean powerdown(DomainRef ref, int flags, boolean reboot) {
        boolean agentAsked = (flags & 2) != 0;
        boolean acpiAsked = (flags & 1) != 0;
        return domains.locked(ref, (d, hv) -> {
            domains.requireActive(d);
            boolean connected = hv.agentConnected(domains.handle(d));
            if (!(agentAsked || flags == 0 && connected) || !connected && acpiAsked) {
                return false;
            }
            hv.agent(domains.handle(d), "guest-shutdown", Map.of("mode", reboot ? "reboot" : "powerdown"), 0);
            return true;
        });
    }

    /** The host name from the DHCP leases of the guest's networks (VIR_DOMAIN_GET_HOSTNAME_LEASE). */
    String leaseHostname(DomainRef ref) {
        return domains.locked(ref, (d, hv) -> {
            domains.requireActive(d);
            String name = hv.leaseHostname(domains.handle(d));
            if (name == null) {
                throw new VirtException(ErrorCode.NO_HOSTNAME, domains.from(), "no hostname found for domain "
                    + d.name());
            }
            return name;
        });
    }

    String hostname(DomainRef ref) {
        Map<String, Object> answer = map(agent(ref, "guest-get-host-name", null));
        return String.valueOf(answer.get("host-name"));
    }

    long[] time(DomainRef ref) {
        long nanos = number(agent(ref, "guest-get-time", null));
        return new long[] {nanos / 1_000_000_000L, nanos % 1_000_000_000L};
    }

    void setTime(DomainRef ref, long seconds, int nseconds, boolean sync) {
        if (!sync && (seconds < 0 || seconds > Long.MAX_VALUE / 1_000_000_000L - 1)) {
            throw VirtErrors.invalidArg(domains.from(), "Time '" + seconds + "' is too big for guest agent");
        }
        Map<String, Object> arguments = sync ? null : Map.of("time", seconds * 1_000_000_000L + nseconds);
        domains.lockedDo(ref, (d, hv) -> {
            domains.requireActive(d);
            hv.agent(domains.handle(d), "guest-set-time", arguments, -1);
            hv.clockSet(domains.handle(d));
        });
    }

    int fsFreeze(DomainRef ref, List<String> mountpoints) {
        return mountpoints.isEmpty() ? (int) number(agent(ref, "guest-fsfreeze-freeze", null))
            : (int) number(agent(ref, "guest-fsfreeze-freeze-list", Map.of("mountpoints", mountpoints)));
    }

    int fsThaw(DomainRef ref, List<String> mountpoints) {
        if (!mountpoints.isEmpty()) {
            throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, domains.from(),
                "specifying mountpoints is not supported");
        }
        return (int) number(agent(ref, "guest-fsfreeze-thaw", null));
    }

    void fsTrim(DomainRef ref, String mountPoint, long minimum) {
        if (mountPoint != null) {
            throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, domains.from(),
                "Specifying mount point is not supported for now");
        }
        agent(ref, "guest-fstrim", Map.of("minimum", minimum));
    }

    /** guest-get-fsinfo, each file system's disks named by the domain disk at the same PCI address. */
    List<FsInfo> fsInfo(DomainRef ref) {
        Map<String, String> diskByPciAddress = disksByPciAddress(ref);
        List<FsInfo> result = new ArrayList<>();
        for (Object entry : list(agent(ref, "guest-get-fsinfo", null))) {
            Map<String, Object> fs = map(entry);
            List<String> aliases = new ArrayList<>();
            for (Object disk : list(fs.get("disk"))) {
                String target = diskByPciAddress.get(pciAddress(map(disk).get("pci-controller")));
                if (target != null) {
                    aliases.add(target);
                }
            }
            result.add(new FsInfo(string(fs.get("mountpoint")), string(fs.get("name")), string(fs.get("type")),
                aliases));
        }
        return result;
    }

    /** virDomainGetGuestInfo's typed parameters, group by group in libvirt's order. */
    List<TypedParameter> guestInfo(DomainRef ref, int types) {
        Map<String, String> diskByPciAddress = disksByPciAddress(ref);
        int wanted = types == 0 ? INFO_USERS | INFO_OS | INFO_TIMEZONE | INFO_HOSTNAME | INFO_FILESYSTEM
            | INFO_DISKS | INFO_INTERFACES : types;
        List<TypedParameter> out = new ArrayList<>();
        if ((wanted & INFO_USERS) != 0) {
            List<Object> users = list(agent(ref, "guest-get-users", null));
            out.add(TypedParameter.ofUint("user.count", users.size()));
            for (int i = 0; i < users.size(); i++) {
                Map<String, Object> user = map(users.get(i));
                out.add(text("user." + i + ".name", user.get("user")));
                if (user.get("domain") != null) {
                    out.add(text("user." + i + ".domain", user.get("domain")));
                }
                out.add(TypedParameter.ofUllong("user." + i + ".login-time",
                    (long) (((Number) user.get("login-time")).doubleValue() * 1000)));
            }
        }
        if ((wanted & INFO_OS) != 0) {
            Map<String, Object> os = map(agent(ref, "guest-get-osinfo", null));
            for (String field : OS_FIELDS) {
                if (os.get(field) != null) {
                    out.add(text("os." + field, os.get(field)));
                }
            }
        }
        if ((wanted & INFO_TIMEZONE) != 0) {
            Map<String, Object> zone = map(agent(ref, "guest-get-timezone", null));
            if (zone.get("zone") != null) {
                out.add(text("timezone.name", zone.get("zone")));
            }
            out.add(new TypedParameter("timezone.offset", TypedParameter.Type.INT,
                (int) number(zone.get("offset"))));
        }
        if ((wanted & INFO_HOSTNAME) != 0) {
            out.add(text("hostname", map(agent(ref, "guest-get-host-name", null)).get("host-name")));
        }
        if ((wanted & INFO_FILESYSTEM) != 0) {
            filesystems(out, list(agent(ref, "guest-get-fsinfo", null)), diskByPciAddress);
        }
        if ((wanted & INFO_DISKS) != 0) {
            disks(out, list(agent(ref, "guest-get-disks", null)));
        }
        if ((wanted & INFO_INTERFACES) != 0) {
            interfaces(out, list(agent(ref, "guest-network-get-interfaces", null)));
        }
        return out;
    }

    private void filesystems(List<TypedParameter> out, List<Object> fsList, Map<String, String> diskByPci) {
        if (fsList.isEmpty()) {
            return;
        }
        out.add(TypedParameter.ofUint("fs.count", fsList.size()));
        for (int i = 0; i < fsList.size(); i++) {
            Map<String, Object> fs = map(fsList.get(i));
            String p = "fs." + i + ".";
            out.add(text(p + "mountpoint", fs.get("mountpoint")));
            out.add(text(p + "name", fs.get("name")));
            out.add(text(p + "fstype", fs.get("type")));
            if (fs.get("total-bytes") != null) {
                out.add(TypedParameter.ofUllong(p + "total-bytes", number(fs.get("total-bytes"))));
            }
            if (fs.get("used-bytes") != null) {
                out.add(TypedParameter.ofUllong(p + "used-bytes", number(fs.get("used-bytes"))));
            }
            List<Object> disks = list(fs.get("disk"));
            out.add(TypedParameter.ofUint(p + "disk.count", disks.size()));
            for (int j = 0; j < disks.size(); j++) {
                Map<String, Object> disk = map(disks.get(j));
                String target = diskByPci.get(pciAddress(disk.get("pci-controller")));
                if (target != null) {
                    out.add(text(p + "disk." + j + ".alias", target));
                }
                if (disk.get("serial") != null) {
                    out.add(text(p + "disk." + j + ".serial", disk.get("serial")));
                }
                if (disk.get("dev") != null) {
                    out.add(text(p + "disk." + j + ".device", disk.get("dev")));
                }
            }
        }
    }

    private void disks(List<TypedParameter> out, List<Object> disks) {
        if (disks.isEmpty()) {
            return;
        }
        out.add(TypedParameter.ofUint("disk.count", disks.size()));
        for (int i = 0; i < disks.size(); i++) {
            Map<String, Object> disk = map(disks.get(i));
            String p = "disk." + i + ".";
            out.add(text(p + "name", disk.get("name")));
            out.add(new TypedParameter(p + "partition", TypedParameter.Type.BOOLEAN,
                Boolean.TRUE.equals(disk.get("partition"))));
            List<Object> deps = list(disk.get("dependencies"));
            if (!deps.isEmpty()) {
                out.add(TypedParameter.ofUint(p + "dependency.count", deps.size()));
                for (int j = 0; j < deps.size(); j++) {
                    out.add(text(p + "dependency." + j + ".name", deps.get(j)));
                }
            }
            if (disk.get("alias") != null) {
                out.add(text(p + "guest_alias", disk.get("alias")));
            }
        }
    }

    private void interfaces(List<TypedParameter> out, List<Object> ifaces) {
        out.add(TypedParameter.ofUint("if.count", ifaces.size()));
        for (int i = 0; i < ifaces.size(); i++) {
            Map<String, Object> iface = map(ifaces.get(i));
            String p = "if." + i + ".";
            out.add(text(p + "name", iface.get("name")));
            if (iface.get("hardware-address") != null) {
                out.add(text(p + "hwaddr", iface.get("hardware-address")));
            }
            List<Object> addresses = list(iface.get("ip-addresses"));
            out.add(TypedParameter.ofUint(p + "addr.count", addresses.size()));
            for (int j = 0; j < addresses.size(); j++) {
                Map<String, Object> address = map(addresses.get(j));
                out.add(text(p + "addr." + j + ".type", address.get("ip-address-type")));
                out.add(text(p + "addr." + j + ".addr", address.get("ip-address")));
                out.add(TypedParameter.ofUint(p + "addr." + j + ".prefix", number(address.get("prefix"))));
            }
        }
    }

    /** virDomainGetGuestVcpus: vcpus, online and offlinable as libvirt's bitmap strings. */
    List<TypedParameter> guestVcpus(DomainRef ref) {
        BitSet all = new BitSet();
        BitSet online = new BitSet();
        BitSet offlinable = new BitSet();
        for (Object entry : list(agent(ref, "guest-get-vcpus", null))) {
            Map<String, Object> cpu = map(entry);
            int id = (int) number(cpu.get("logical-id"));
            all.set(id);
            if (Boolean.TRUE.equals(cpu.get("online"))) {
                online.set(id);
            }
            if (Boolean.TRUE.equals(cpu.get("can-offline"))) {
                offlinable.set(id);
            }
        }
        return List.of(text("vcpus", CpuSets.format(all)), text("online", CpuSets.format(online)),
            text("offlinable", CpuSets.format(offlinable)));
    }

    /** How many vCPUs the guest has online (virDomainGetVcpusFlags with VCPU_GUEST). */
    int onlineGuestVcpus(DomainRef ref) {
        int count = 0;
        for (Object entry : list(agent(ref, "guest-get-vcpus", null))) {
            if (Boolean.TRUE.equals(map(entry).get("online"))) {
                count++;
            }
        }
        return count;
    }

    /**
     * virDomainSetVcpusFlags with VCPU_GUEST: brings the guest to {@code count} online vCPUs, onlining the
     * lowest offline ones or offlining the highest offlinable ones, as libvirt does.
     */
    void setOnlineGuestVcpus(DomainRef ref, int count) {
        List<Map<String, Object>> cpus = new ArrayList<>();
        list(agent(ref, "guest-get-vcpus", null)).forEach(c -> cpus.add(map(c)));
        int online = (int) cpus.stream().filter(c -> Boolean.TRUE.equals(c.get("online"))).count();
        if (count > cpus.size()) {
            throw VirtErrors.invalidArg(domains.from(), "guest agent reports less cpu than requested");
        }
        List<Map<String, Object>> changes = new ArrayList<>();
        for (int i = 0; i < cpus.size() && online < count; i++) {
            if (!Boolean.TRUE.equals(cpus.get(i).get("online"))) {
                changes.add(Map.of("logical-id", cpus.get(i).get("logical-id"), "online", true));
                online++;
            }
        }
        for (int i = cpus.size() - 1; i >= 0 && online > count; i--) {
            Map<String, Object> cpu = cpus.get(i);
            if (Boolean.TRUE.equals(cpu.get("online")) && Boolean.TRUE.equals(cpu.get("can-offline"))) {
                changes.add(Map.of("logical-id", cpu.get("logical-id"), "online", false));
                online--;
            }
        }
        if (online != count) {
            throw VirtErrors.invalidArg(domains.from(), "guest agent reports less cpu than requested");
        }
        if (!changes.isEmpty()) {
            agent(ref, "guest-set-vcpus", Map.of("vcpus", changes));
        }
    }

    /** virDomainSetGuestVcpus: takes the listed vCPUs online or offline through guest-set-vcpus. */
    void setGuestVcpus(DomainRef ref, BitSet cpus, boolean enable) {
        List<Object> current = list(agent(ref, "guest-get-vcpus", null));
        List<Map<String, Object>> changes = new ArrayList<>();
        for (Object entry : current) {
            Map<String, Object> cpu = map(entry);
            int id = (int) number(cpu.get("logical-id"));
            if (!cpus.get(id)) {
                continue;
            }
            if (!enable && !Boolean.TRUE.equals(cpu.get("can-offline"))) {
                throw VirtErrors.invalidArg(domains.from(), "vCPU '" + id + "' is not offlinable");
            }
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("logical-id", id);
            change.put("online", enable);
            changes.add(change);
            cpus.clear(id);
        }
        if (!cpus.isEmpty()) {
            throw VirtErrors.invalidArg(domains.from(), "vCPU '" + cpus.nextSetBit(0) + "' is not present in the guest");
        }
        agent(ref, "guest-set-vcpus", Map.of("vcpus", changes));
    }

    void setUserPassword(DomainRef ref, String user, String password, boolean crypted) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("username", user);
        arguments.put("password", Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)));
        arguments.put("crypted", crypted);
        agent(ref, "guest-set-user-password", arguments);
    }

    /** guest-ssh-get-authorized-keys: the account's keys, as the agent reads them from its authorized_keys. */
    List<String> authorizedSshKeys(DomainRef ref, String user) {
        Object keys = map(agent(ref, "guest-ssh-get-authorized-keys", Map.of("username", user))).get("keys");
        if (!(keys instanceof List<?> list)) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, domains.from(),
                "qemu agent didn't return an array of keys");
        }
        return list.stream().map(String::valueOf).toList();
    }

    /**
     * guest-ssh-remove-authorized-keys when removing, else guest-ssh-add-authorized-keys, which replaces the file
     * (reset) unless appending: libvirt's mapping of its flags.
     */
    void setAuthorizedSshKeys(DomainRef ref, String user, List<String> keys, boolean append, boolean remove) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("username", user);
        arguments.put("keys", keys);
        if (remove) {
            agent(ref, "guest-ssh-remove-authorized-keys", arguments);
            return;
        }
        arguments.put("reset", !append);
        agent(ref, "guest-ssh-add-authorized-keys", arguments);
    }

    /** The live definition's disks by PCI address (domain:bus:slot.function), as target names. */
    private Map<String, String> disksByPciAddress(DomainRef ref) {
        String xml = domains.locked(ref, (d, hv) -> d.currentXml());
        DomainEditor doc = DomainEditor.of(xml);
        Map<String, String> disks = new LinkedHashMap<>();
        for (int i = 0; i < doc.count("disk"); i++) {
            if (!"pci".equals(doc.attr("disk", i, "address", "type"))) {
                continue;
            }
            disks.put(String.format("%04x:%02x:%02x.%x", hex(doc.attr("disk", i, "address", "domain")),
                hex(doc.attr("disk", i, "address", "bus")), hex(doc.attr("disk", i, "address", "slot")),
                hex(doc.attr("disk", i, "address", "function"))), doc.attr("disk", i, "target", "dev"));
        }
        return disks;
    }

    private static long hex(String value) {
        if (value == null) {
            return 0;
        }
        return value.startsWith("0x") ? Long.parseLong(value.substring(2), 16) : Long.parseLong(value);
    }

    /** The domain:bus:slot.function key of a guest agent's pci-controller object. */
    static String pciAddress(Object controller) {
        if (!(controller instanceof Map<?, ?> pci)) {
            return "";
        }
        return String.format("%04x:%02x:%02x.%x", number(pci.get("domain")), number(pci.get("bus")),
            number(pci.get("slot")), number(pci.get("function")));
    }

    private static TypedParameter text(String field, Object value) {
        return new TypedParameter(field, TypedParameter.Type.STRING, String.valueOf(value));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static String string(Object value) {
        return value == null ? "" : value.toString();
    }
}
