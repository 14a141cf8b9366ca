package org.jvirtd.api.storage;

/**
 * A volume a backend found or made: its name, key, path, type (VIR_STORAGE_VOL_* of {@link StorageFlags}),
 * sizes in bytes and the volume XML.
 */
public record VolumeInfo(String name, String key, String path, int type, long capacity, long allocation,
                         String xml) {
}
