package org.jvirtd.api.connect;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.function.IntConsumer;

import org.jvirtd.api.VirtErrors;

import org.jvirtd.api.domain.DomainInfo;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainStatus;
import org.jvirtd.api.event.DomainEventListener;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An open connection to one driver, with libvirt's domain API. Every method throws
 * {@link org.jvirtd.api.VirtException} with libvirt's code and message on failure; calls that change
 * something fail with VIR_ERR_OPERATION_DENIED on a read-only connection.
 */
@ProviderType
public interface Connection extends AutoCloseable {
    URI uri();

    boolean isReadOnly();

    /** virConnectGetType: "QEMU", "Test", ... */
    String type();

    /** virConnectGetVersion: the hypervisor version. */
    long hypervisorVersion();

    /** virConnectGetHostname; answers without waiting (the RPC server calls it on its I/O thread). */
    String hostname();

    String capabilities();

    int maxVcpus(String type);

    List<DomainRef> listAllDomains(int flags);

    /** Answers from memory without waiting for a driver or a domain's lock (called on the RPC I/O thread). */
    DomainRef lookupByName(String name);

    /** Answers from memory without waiting for a driver or a domain's lock (called on the RPC I/O thread). */
    DomainRef lookupByUuid(UUID uuid);

    DomainRef lookupById(int id);

    DomainRef define(String xml, int flags);

    void undefine(DomainRef domain, int flags);

    /** Creates and starts a transient domain. */
    DomainRef createXml(String xml, int flags);

    /** Starts a defined domain (from its managed save image when there is one). */
    DomainRef create(DomainRef domain, int flags);

    void shutdown(DomainRef domain, int flags);

    void reboot(DomainRef domain, int flags);

    void destroy(DomainRef domain, int flags);

    void suspend(DomainRef domain);

    void resume(DomainRef domain);

    void save(DomainRef domain, String file, String xml, int flags);

    void restore(String file, String xml, int flags);

    void managedSave(DomainRef domain, int flags);

    boolean hasManagedSave(DomainRef domain);

    void managedSaveRemove(DomainRef domain);

    String xml(DomainRef domain, int flags);

    DomainInfo info(DomainRef domain);

    DomainStatus status(DomainRef domain);

    boolean isActive(DomainRef domain);

    boolean isPersistent(DomainRef domain);

    boolean autostart(DomainRef domain);

    void setAutostart(DomainRef domain, boolean autostart);

    void attachDevice(DomainRef domain, String xml, int flags);

    void detachDevice(DomainRef domain, String xml, int flags);

    /** Delivers this driver's domain events to a listener until the returned handle is closed. */
    AutoCloseable subscribe(DomainEventListener listener);

    /** virDomainGetOSType: "hvm", "linux", "exe", "xen". */
    default String osType(DomainRef domain) {
        throw VirtErrors.noSupport("virDomainGetOSType");
    }

    /** virNodeGetInfo: the host's CPU model, memory and topology. */
    default NodeInfo nodeInfo() {
        throw VirtErrors.noSupport("virNodeGetInfo");
    }

    /** virNodeGetSecurityModel: the security driver (selinux, apparmor, dac) and its DOI. */
    default SecurityModel securityModel() {
        throw VirtErrors.noSupport("virNodeGetSecurityModel");
    }

    /**
     * virConnectGetDomainCapabilities: what a domain of this emulator, architecture, machine type and
     * virtualization type can use; each argument may be null for the driver's default.
     */
    default String domainCapabilities(String emulator, String arch, String machine, String virtType, int flags) {
        throw VirtErrors.noSupport("virConnectGetDomainCapabilities");
    }

    /** virDomainGetSecurityLabel: the primary security driver's label of the domain's process. */
    default SecurityLabel securityLabel(DomainRef domain) {
        throw VirtErrors.noSupport("virDomainGetSecurityLabel");
    }

    /** virDomainGetVcpusFlags: the vCPU count for flags (live, config, maximum). */
    default int vcpus(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetVcpusFlags");
    }

    /** virDomainSetMemoryFlags: sets the memory in KiB (live, config, maximum). */
    default void setMemory(DomainRef domain, long memoryKiB, int flags) {
        throw VirtErrors.noSupport("virDomainSetMemoryFlags");
    }

    /** virDomainGetMessages: the domain's taint and deprecation messages. */
    default List<String> messages(DomainRef domain, int flags) {
        throw VirtErrors.noSupport("virDomainGetMessages");
    }

    /**
     * Tells {@code listener} when this connection is closed from the driver side (a driver that goes
     * away), with libvirt's virConnectCloseReason (0 error, 1 eof, 2 keepalive, 3 client). A driver
     * that never closes connections on its own keeps the default, which never calls back.
     */
    default AutoCloseable onClose(IntConsumer listener) {
        return () -> { };
    }

    @Override
    void close();

    /** virNodeInfo: CPU model, memory in KiB, CPUs, MHz, NUMA nodes, sockets per node, cores, threads. */
    record NodeInfo(String model, long memoryKiB, int cpus, int mhz, int nodes, int sockets, int cores,
                    int threads) {
    }

    /** virSecurityModel: model and DOI, empty strings when there is no security driver. */
    record SecurityModel(String model, String doi) {
    }

    /** virSecurityLabel: the label (empty when the driver labels nothing) and whether it is enforced. */
    record SecurityLabel(String label, boolean enforcing) {
    }
}
