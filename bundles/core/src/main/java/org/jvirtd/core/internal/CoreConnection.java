package org.jvirtd.core.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainInfo;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainStatus;
import org.jvirtd.api.driver.HypervisorDriver;
import org.jvirtd.api.event.DomainEventListener;

/**
 * One client's connection to one driver: checks read-only access, then hands the call to the
 * driver's domain list.
 */
final class CoreConnection implements Connection {
    private final URI uri;
    private final boolean readOnly;
    private final DriverRegistry registry;
    private final DriverDomains domains;
    private final EventHub events;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    CoreConnection(URI uri, boolean readOnly, DriverRegistry registry, DriverDomains domains, EventHub events,
                   Runnable onClose) {
        this.uri = uri;
        this.readOnly = readOnly;
        this.registry = registry;
        this.domains = domains;
        this.events = events;
        this.onClose = onClose;
    }

    private HypervisorDriver driver() {
        return registry.require(domains.driverName());
    }

    private void writable(String api) {
        if (readOnly) {
            throw VirtErrors.readOnly(api);
        }
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public String type() {
        return driver().type();
    }

    @Override
    public long hypervisorVersion() {
        return driver().hypervisorVersion();
    }

    @Override
    public String hostname() {
        return HostIdentity.hostname();
    }

    @Override
    public String capabilities() {
        return driver().capabilities();
    }

    @Override
    public String domainCapabilities(String emulator, String arch, String machine, String virtType, int flags) {
        return driver().domainCapabilities(emulator, arch, machine, virtType, flags);
    }

    @Override
    public int maxVcpus(String type) {
        return driver().maxVcpus(type);
    }

    @Override
    public List<DomainRef> listAllDomains(int flags) {
        return domains.list(flags);
    }

    @Override
    public DomainRef lookupByName(String name) {
        return domains.lookupByName(name);
    }

    @Override
    public DomainRef lookupByUuid(UUID uuid) {
        return domains.lookupByUuid(uuid);
    }

    @Override
    public DomainRef lookupById(int id) {
        return domains.lookupById(id);
    }

    @Override
    public DomainRef define(String xml, int flags) {
        writable("virDomainDefineXMLFlags");
        return domains.define(xml);
    }

    @Override
    public void undefine(DomainRef domain, int flags) {
        writable("virDomainUndefineFlags");
        domains.undefine(domain, flags);
    }

    @Override
    public DomainRef createXml(String xml, int flags) {
        writable("virDomainCreateXML");
        return domains.createTransient(xml, flags);
    }

    @Override
    public DomainRef create(DomainRef domain, int flags) {
        writable("virDomainCreateWithFlags");
        return domains.create(domain, flags);
    }

    @Override
    public void shutdown(DomainRef domain, int flags) {
        writable("virDomainShutdownFlags");
        domains.shutdown(domain);
    }

    @Override
    public void reboot(DomainRef domain, int flags) {
        writable("virDomainReboot");
        domains.reboot(domain);
    }

    @Override
    public void destroy(DomainRef domain, int flags) {
        writable("virDomainDestroyFlags");
        domains.destroy(domain);
    }

    @Override
    public void suspend(DomainRef domain) {
        writable("virDomainSuspend");
        domains.suspend(domain);
    }

    @Override
    public void resume(DomainRef domain) {
        writable("virDomainResume");
        domains.resume(domain);
    }

    @Override
    public void save(DomainRef domain, String file, String xml, int flags) {
        writable("virDomainSaveFlags");
        domains.save(domain, Path.of(file));
    }

    @Override
    public void restore(String file, String xml, int flags) {
        writable("virDomainRestoreFlags");
        domains.restore(Path.of(file), flags);
    }

    @Override
    public void managedSave(DomainRef domain, int flags) {
        writable("virDomainManagedSave");
        domains.managedSave(domain);
    }

    @Override
    public boolean hasManagedSave(DomainRef domain) {
        return domains.hasManagedSave(domain);
    }

    @Override
    public void managedSaveRemove(DomainRef domain) {
        writable("virDomainManagedSaveRemove");
        domains.managedSaveRemove(domain);
    }

    @Override
    public String xml(DomainRef domain, int flags) {
        if ((flags & org.jvirtd.api.domain.DomainFlags.XML_SECURE) != 0) {
            writable("virDomainGetXMLDesc with secure flag");
        }
        return domains.xml(domain, flags);
    }

    @Override
    public DomainInfo info(DomainRef domain) {
        return domains.info(domain);
    }

    @Override
    public DomainStatus status(DomainRef domain) {
        return domains.status(domain);
    }

    @Override
    public boolean isActive(DomainRef domain) {
        return domains.isActive(domain);
    }

    @Override
    public boolean isPersistent(DomainRef domain) {
        return domains.isPersistent(domain);
    }

    @Override
    public boolean autostart(DomainRef domain) {
        return domains.autostart(domain);
    }

    @Override
    public void setAutostart(DomainRef domain, boolean autostart) {
        writable("virDomainSetAutostart");
        domains.setAutostart(domain, autostart);
    }

    @Override
    public void attachDevice(DomainRef domain, String xml, int flags) {
        writable("virDomainAttachDeviceFlags");
        domains.attachDevice(domain, xml, flags);
    }

    @Override
    public void detachDevice(DomainRef domain, String xml, int flags) {
        writable("virDomainDetachDeviceFlags");
        domains.detachDevice(domain, xml, flags);
    }

    @Override
    public String osType(DomainRef domain) {
        return domains.osType(domain);
    }

    @Override
    public NodeInfo nodeInfo() {
        return HostInfo.read();
    }

    @Override
    public SecurityModel securityModel() {
        return driver().securityModel();
    }

    @Override
    public SecurityLabel securityLabel(DomainRef domain) {
        return domains.securityLabel(domain);
    }

    @Override
    public int vcpus(DomainRef domain, int flags) {
        return domains.info(domain).vcpus();
    }

    @Override
    public List<String> messages(DomainRef domain, int flags) {
        domains.status(domain);
        return List.of();
    }

    @Override
    public AutoCloseable subscribe(DomainEventListener listener) {
        return events.subscribe(domains.driverName(), listener);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }
}
