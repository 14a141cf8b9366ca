package org.jvirtd.storage.dir;

import org.jvirtd.api.storage.PoolBackend;
import org.jvirtd.storage.util.DirectoryPoolBackend;
import org.osgi.service.component.annotations.Component;

/**
 * Pools of type dir: a directory of image files, which needs nothing mounted or activated.
 */
@Component(service = PoolBackend.class, property = PoolBackend.PROPERTY + "=dir")
public final class DirPoolBackend extends DirectoryPoolBackend {
    @Override
    public String type() {
        return "dir";
    }
}
