package org.jvirtd.model.storage;

import java.util.List;
import java.util.UUID;

/**
 * A parsed storage pool definition ({@code <pool>}).
 *
 * @param cow the {@code <features><cow state>} setting, null when absent
 * @param refreshVolumeAllocation the {@code <refresh><volume allocation>} setting, null when absent
 * @param mountOptions fs namespace {@code <fs:mount_opts>} option names
 * @param configOptions rbd namespace {@code <rbd:config_opts>} name/value pairs
 */
public record PoolDef(PoolType type, String name, UUID uuid, Boolean cow, PoolSource source, String targetPath,
                      Permissions permissions, String refreshVolumeAllocation, List<String> mountOptions,
                      List<ConfigOption> configOptions) {
    public PoolDef {
        mountOptions = List.copyOf(mountOptions);
        configOptions = List.copyOf(configOptions);
    }

    /** One {@code <rbd:option name value/>}. */
    public record ConfigOption(String name, String value) {
    }
}
