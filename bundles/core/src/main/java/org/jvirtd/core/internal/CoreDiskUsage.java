package org.jvirtd.core.internal;

import java.util.Optional;

import org.jvirtd.api.domain.DiskUsage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Answers which running domain, of any driver, uses a path as a disk.
 */
@Component(service = DiskUsage.class)
public final class CoreDiskUsage implements DiskUsage {
    private final DriverRegistry registry;

    @Activate
    public CoreDiskUsage(@Reference DriverRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Optional<String> activeDomainUsing(String path) {
        return registry.activeDomainUsing(path);
    }
}
