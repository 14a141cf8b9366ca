package org.jvirtd.api.storage;

import java.util.List;

/**
 * What a refresh found: the pool's capacity, allocation and available space in bytes, and its volumes.
 */
public record PoolContents(long capacity, long allocation, long available, List<VolumeInfo> volumes) {
    public PoolContents {
        volumes = List.copyOf(volumes);
    }
}
