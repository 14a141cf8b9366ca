package org.jvirtd.api.domain;

/**
 * libvirt's flag values for domain calls, with the numbers clients send on the wire.
 */
public final class DomainFlags {
    /** virConnectListAllDomainsFlags. */
    public static final int LIST_ACTIVE = 1;
    public static final int LIST_INACTIVE = 2;
    public static final int LIST_PERSISTENT = 4;
    public static final int LIST_TRANSIENT = 8;
    public static final int LIST_RUNNING = 16;
    public static final int LIST_PAUSED = 32;
    public static final int LIST_SHUTOFF = 64;
    public static final int LIST_OTHER = 128;
    public static final int LIST_MANAGEDSAVE = 256;
    public static final int LIST_NO_MANAGEDSAVE = 512;
    public static final int LIST_AUTOSTART = 1024;
    public static final int LIST_NO_AUTOSTART = 2048;
    public static final int LIST_HAS_SNAPSHOT = 4096;
    public static final int LIST_NO_SNAPSHOT = 8192;

    /** virDomainXMLFlags. */
    public static final int XML_SECURE = 1;
    public static final int XML_INACTIVE = 2;
    public static final int XML_UPDATE_CPU = 4;
    public static final int XML_MIGRATABLE = 8;

    /** virDomainCreateFlags. */
    public static final int START_PAUSED = 1;
    public static final int START_AUTODESTROY = 2;
    public static final int START_BYPASS_CACHE = 4;
    public static final int START_FORCE_BOOT = 8;
    public static final int START_VALIDATE = 16;

    /** virDomainUndefineFlagsValues. */
    public static final int UNDEFINE_MANAGED_SAVE = 1;
    public static final int UNDEFINE_SNAPSHOTS_METADATA = 2;
    public static final int UNDEFINE_NVRAM = 4;
    public static final int UNDEFINE_KEEP_NVRAM = 8;
    public static final int UNDEFINE_TPM = 32;
    public static final int UNDEFINE_KEEP_TPM = 64;

    /** virDomainSaveRestoreFlags. */
    public static final int SAVE_BYPASS_CACHE = 1;
    public static final int SAVE_RUNNING = 2;
    public static final int SAVE_PAUSED = 4;

    /** virDomainModificationImpact. */
    public static final int AFFECT_CURRENT = 0;
    public static final int AFFECT_LIVE = 1;
    public static final int AFFECT_CONFIG = 2;
    /** VIR_DOMAIN_MEM_MAXIMUM: virDomainSetMemoryFlags changes the maximum, not the current size. */
    public static final int MEM_MAXIMUM = 4;

    /** virDomainVcpuFlags: the maximum instead of the online count, the guest's own view, hotpluggable vCPUs. */
    public static final int VCPU_MAXIMUM = 4;
    public static final int VCPU_GUEST = 8;
    public static final int VCPU_HOTPLUGGABLE = 16;

    private DomainFlags() {
    }
}
