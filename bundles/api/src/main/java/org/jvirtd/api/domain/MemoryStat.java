package org.jvirtd.api.domain;

/**
 * One virDomainMemoryStatStruct: a virDomainMemoryStatTags number (0 swap_in ... 6 actual, 7 rss, 9
 * last_update, 10 disk_caches, ...) and its value (KiB, or a count or time as the tag says).
 */
public record MemoryStat(int tag, long value) {
    public static final int SWAP_IN = 0;
    public static final int SWAP_OUT = 1;
    public static final int MAJOR_FAULT = 2;
    public static final int MINOR_FAULT = 3;
    public static final int UNUSED = 4;
    public static final int AVAILABLE = 5;
    public static final int ACTUAL_BALLOON = 6;
    public static final int RSS = 7;
    public static final int USABLE = 8;
    public static final int LAST_UPDATE = 9;
    public static final int DISK_CACHES = 10;
    public static final int HUGETLB_PGALLOC = 11;
    public static final int HUGETLB_PGFAIL = 12;
    /** VIR_DOMAIN_MEMORY_STAT_NR: how many tags libvirt 9.0 knows. */
    public static final int TAG_COUNT = 13;
}
