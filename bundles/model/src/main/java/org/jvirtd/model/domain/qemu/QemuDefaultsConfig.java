package org.jvirtd.model.domain.qemu;

import java.util.Map;

/**
 * The qemu.conf settings and daemon environment the post-parse pass consults.
 *
 * @param vncAllowHostAudio   qemu.conf vnc_allow_host_audio
 * @param nogfxAllowHostAudio qemu.conf nographics_allow_host_audio
 * @param environment         the daemon environment (QEMU_AUDIO_DRV, SDL_AUDIODRIVER)
 * @param newDomain           a definition the API is defining or creating now (libvirt's ABI_UPDATE parse
 *                            flag): its memory size follows its NUMA cells and USB devices get their ports;
 *                            libvirt's unit tests parse without it
 */
public record QemuDefaultsConfig(boolean vncAllowHostAudio, boolean nogfxAllowHostAudio,
                                 Map<String, String> environment, boolean newDomain) {

    public QemuDefaultsConfig {
        environment = Map.copyOf(environment);
    }

    /** libvirt's defaults: no host audio passthrough, empty environment. */
    public static QemuDefaultsConfig defaults() {
        return new QemuDefaultsConfig(false, false, Map.of(), false);
    }
}
