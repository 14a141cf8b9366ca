package org.jvirtd.model.storage;

import java.time.Instant;

/**
 * What stat(2) says of a volume's file, which libvirt shows in the volume XML beside the definition: the
 * bytes the file takes ({@code <physical>}, its size) and its times ({@code <timestamps>}; the birth time is
 * always 0, as libvirt reads the file with stat, not statx).
 *
 * @param physical the file's size in bytes
 */
public record VolumeStat(long physical, Instant atime, Instant mtime, Instant ctime) {
}
