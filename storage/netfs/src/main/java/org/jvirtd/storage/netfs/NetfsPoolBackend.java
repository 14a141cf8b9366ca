package org.jvirtd.storage.netfs;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.storage.PoolBackend;
import org.jvirtd.model.storage.PoolSource;
import org.jvirtd.model.storage.PoolSourceListXml;
import org.jvirtd.model.storage.PoolType;
import org.jvirtd.storage.util.HostCommand;
import org.jvirtd.storage.util.MountedPoolBackend;
import org.jvirtd.storage.util.StorageErrors;
import org.osgi.service.component.annotations.Component;

/**
 * Pools of type netfs: an NFS export, CIFS share or GlusterFS volume mounted on the pool's target
 * (the mount command line is the shared {@link org.jvirtd.storage.util.MountArgv}); source discovery lists a
 * host's NFS exports.
 */
@Component(service = PoolBackend.class, property = PoolBackend.PROPERTY + "=netfs")
public final class NetfsPoolBackend extends MountedPoolBackend {
    @Override
    public String type() {
        return "netfs";
    }

    /**
     * The NFS exports of the one host the search's source names, through showmount; when showmount fails
     * (no server, no such host, no showmount), libvirt's "no storage pools were found" (GlusterFS volumes,
     * which libvirt also asks the gluster CLI for when it is installed, are not looked for).
     */
    @Override
    public String findPoolSources(String sourceSpec, int flags) {
        VirtErrors.checkFlags(ErrorDomain.STORAGE, flags, 0, "virStorageBackendFileSystemNetFindPoolSources");
        if (sourceSpec == null) {
            throw StorageErrors.invalidArg("hostname must be specified for netfs sources");
        }
        PoolSource spec = PoolSourceListXml.parseSpec(sourceSpec, PoolType.NETFS);
        if (spec.hosts().size() != 1) {
            throw StorageErrors.unsupported("Expected exactly 1 host for the storage pool");
        }
        String host = spec.hosts().get(0).name();
        String exports;
        try {
            exports = HostCommand.run(NfsExports.argv(host));
        } catch (VirtException e) {
            throw StorageErrors.failed("no storage pools were found on host '" + host + "'");
        }
        return PoolSourceListXml.format(PoolType.NETFS, NfsExports.parse(host, exports));
    }
}
