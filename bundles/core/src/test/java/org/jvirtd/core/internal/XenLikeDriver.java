package org.jvirtd.core.internal;

import java.net.URI;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.api.driver.HypervisorDriver;

/**
 * A driver of type "xen" that runs nothing, for core tests that watch what core does with a driver's handle: the
 * identity methods every such test driver needs, start and destroy doing nothing.
 */
abstract class XenLikeDriver implements HypervisorDriver {
    @Override
    public String name() {
        return "xen";
    }

    @Override
    public String type() {
        return "Xen";
    }

    @Override
    public ErrorDomain errorDomain() {
        return ErrorDomain.LIBXL;
    }

    @Override
    public long hypervisorVersion() {
        return 4_017_000;
    }

    @Override
    public boolean accepts(URI uri) {
        return false;
    }

    @Override
    public String capabilities() {
        return "<capabilities/>";
    }

    @Override
    public void destroy(DomainHandle domain) {
    }
}
