package org.jvirtd.api.driver;

import java.net.URI;
import java.nio.file.Path;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.connect.Connection;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One hypervisor: what runs a domain. Registered as a service with {@link #PROPERTY} set to
 * {@link #name()}.
 *
 * <p>Like libvirt's driver table, every operation has a default that reports "not supported". Core
 * does the shared work before calling: it finds the domain, checks read-only access and the state,
 * holds the domain's job, and afterwards saves status and publishes events. A method here holds
 * only hypervisor logic. Definitions cross this boundary as libvirt domain XML.
 */
@ConsumerType
public interface HypervisorDriver {
    /** Service property naming the driver: {@code qemu}, {@code lxc}, {@code xen}, {@code test}. */
    String PROPERTY = "jvirtd.driver";

    /** The driver's name, equal to its {@link #PROPERTY} value and its URI scheme. */
    String name();

    /** What virConnectGetType returns ("QEMU", "Test", ...). */
    String type();

    /** The error domain this driver's errors carry. */
    ErrorDomain errorDomain();

    /** The hypervisor's version as libvirt encodes it: major * 1,000,000 + minor * 1,000 + release. */
    long hypervisorVersion();

    /** Whether this driver serves a connection URI (scheme without transport, for example qemu:///system). */
    default boolean accepts(URI uri) {
        String path = uri.getPath();
        return name().equals(uri.getScheme()) && ("/system".equals(path) || "/session".equals(path));
    }

    /** The capabilities XML (virConnectGetCapabilities). */
    String capabilities();

    /**
     * The domain capabilities XML (virConnectGetDomainCapabilities) for an emulator, architecture, machine
     * type and virtualization type, each null for the driver's default.
     */
    default String domainCapabilities(String emulator, String arch, String machine, String virtType, int flags) {
        throw VirtErrors.noSupport("virConnectGetDomainCapabilities");
    }

    /**
     * The primary security driver (virNodeGetSecurityModel). Empty model and DOI, the default, mean that
     * the driver has none, and virsh then prints no security lines.
     */
    default Connection.SecurityModel securityModel() {
        return new Connection.SecurityModel("", "");
    }

    /**
     * The primary security driver's label of a domain (virDomainGetSecurityLabel); the default is libvirt's
     * answer where nothing is labelled: an empty label, not enforcing.
     */
    default Connection.SecurityLabel securityLabel(DomainHandle domain) {
        return new Connection.SecurityLabel("", false);
    }

    /** The maximum vCPUs a guest may have (virConnectGetMaxVcpus). */
    default int maxVcpus(String type) {
        throw VirtErrors.noSupport("virConnectGetMaxVcpus");
    }

    /**
     * Checks and completes a definition before core stores it: rejects what the hypervisor cannot
     * run, fills in defaults. Returns the XML to store.
     */
    default String validateDefinition(String xml) {
        return xml;
    }

    /** Starts a defined domain; returns once it runs (or is paused, when asked). */
    default void start(DomainHandle domain, boolean paused) {
        throw VirtErrors.noSupport("virDomainCreate");
    }

    /** Asks the guest to shut down; the state changes later through {@link DomainHandle#stateChanged}. */
    default void shutdown(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainShutdown");
    }

    default void reboot(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainReboot");
    }

    /** Stops the domain at once; returns when it no longer runs. */
    default void destroy(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainDestroy");
    }

    default void suspend(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainSuspend");
    }

    default void resume(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainResume");
    }

    /** Writes the running domain's state to {@code file} and stops it. */
    default void save(DomainHandle domain, Path file) {
        throw VirtErrors.noSupport("virDomainSave");
    }

    /** The domain XML stored in a save image, so core knows which domain it belongs to. */
    default String saveImageXml(Path file) {
        throw VirtErrors.noSupport("virDomainSaveImageGetXMLDesc");
    }

    /** Starts the domain from a save image written by {@link #save}. */
    default void restore(DomainHandle domain, Path file, boolean paused) {
        throw VirtErrors.noSupport("virDomainRestore");
    }

    /**
     * Takes over a domain that was running before this driver instance came up (bundle update or
     * daemon restart), from the runtime facts it recorded. Returns false if the domain is gone.
     */
    default boolean reattach(DomainHandle domain) {
        return false;
    }

    /** CPU time used so far, in nanoseconds. */
    default long cpuTimeNanos(DomainHandle domain) {
        return 0;
    }

    default void attachDevice(DomainHandle domain, String deviceXml) {
        throw VirtErrors.noSupport("virDomainAttachDeviceFlags");
    }

    default void detachDevice(DomainHandle domain, String deviceXml) {
        throw VirtErrors.noSupport("virDomainDetachDeviceFlags");
    }

}
