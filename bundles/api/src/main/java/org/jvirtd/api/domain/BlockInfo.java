package org.jvirtd.api.domain;

/** virDomainBlockInfo of a disk, in bytes: the size the guest sees, what is allocated, what the host holds. */
public record BlockInfo(long capacity, long allocation, long physical) {
}
