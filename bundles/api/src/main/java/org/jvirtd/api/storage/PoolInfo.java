package org.jvirtd.api.storage;

/**
 * virStoragePoolInfo: the state (VIR_STORAGE_POOL_INACTIVE ... of {@link StorageFlags}) and sizes in bytes.
 */
public record PoolInfo(int state, long capacity, long allocation, long available) {
}
