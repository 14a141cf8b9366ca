package org.jvirtd.api.domain;

/**
 * virDomainBlockJobInfo: a disk's running block job, its type ({@link BlockJobFlags#TYPE_PULL} ...), its
 * bandwidth (MiB/s, or bytes/s when asked for bytes) and its progress, {@code cur} of {@code end}.
 */
public record BlockJobInfo(int type, long bandwidth, long cur, long end) {
}
