package org.jvirtd.model.domain.qemu;

import java.util.Map;

/**
 * The qemu.conf settings and daemon environment the post-parse pass consults.
 *
 * @param vncAllowHostAudio   qemu.conf vnc_allow_host_audio
 * @param nogfxAllowHostAudio qemu.conf nographics_allow_host_audio
 * @param environment         the daemon environment (QEMU_AUDIO_DRV, SDL_AUDIODRIVER)
 */
public record QemuDefaultsConfig(boolean vncAllowHostAudio, boolean nogfxAllowHostAudio,
                                 Map<String, String> environment) {

    public QemuDefaultsConfig {
        environment = Map.copyOf(environment);
    }

    /** libvirt's defaults: no host audio passthrough, empty environment. */
    public static QemuDefaultsConfig defaults() {
        return new QemuDefaultsConfig(false, false, Map.of());
    }
}
