package org.jvirtd.storage.netfs;

import org.jvirtd.api.storage.PoolBackend;
import org.jvirtd.storage.util.MountedPoolBackend;
import org.osgi.service.component.annotations.Component;

/**
 * Pools of type netfs: an NFS export, CIFS share or GlusterFS volume mounted on the pool's target
 * (the mount command line is the shared {@link org.jvirtd.storage.util.MountArgv}).
 */
@Component(service = PoolBackend.class, property = PoolBackend.PROPERTY + "=netfs")
public final class NetfsPoolBackend extends MountedPoolBackend {
    @Override
    public String type() {
        return "netfs";
    }
}
