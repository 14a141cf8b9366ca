package org.jvirtd.api.secret;

/**
 * libvirt's secret flag values: listing filters and define flags.
 */
public final class SecretFlags {
    /** virConnectListAllSecretsFlags. */
    public static final int LIST_EPHEMERAL = 1;
    public static final int LIST_NO_EPHEMERAL = 2;
    public static final int LIST_PRIVATE = 4;
    public static final int LIST_NO_PRIVATE = 8;
    public static final int LIST_FILTERS_ALL = LIST_EPHEMERAL | LIST_NO_EPHEMERAL | LIST_PRIVATE | LIST_NO_PRIVATE;

    /** virSecretDefineFlags: check the document against libvirt's secret schema first. */
    public static final int DEFINE_VALIDATE = 1;

    private SecretFlags() {
    }
}
