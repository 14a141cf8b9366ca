package org.jvirtd.api.connect;

import java.net.URI;
import java.util.List;
import java.util.UUID;

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

    String hostname();

    String capabilities();

    int maxVcpus(String type);

    List<DomainRef> listAllDomains(int flags);

    DomainRef lookupByName(String name);

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

    @Override
    void close();
}
