package org.jvirtd.api.secret;

/**
 * virSecretUsageType with libvirt's numbers and the words its XML uses ({@code <usage type='...'>}).
 */
public enum SecretUsageType {
    NONE(0, "none"), VOLUME(1, "volume"), CEPH(2, "ceph"), ISCSI(3, "iscsi"), TLS(4, "tls"), VTPM(5, "vtpm");

    private final int number;
    private final String xmlName;

    SecretUsageType(int number, String xmlName) {
        this.number = number;
        this.xmlName = xmlName;
    }

    public int number() {
        return number;
    }

    public String xmlName() {
        return xmlName;
    }

    /** The type with this XML name, or null. */
    public static SecretUsageType fromXml(String name) {
        for (SecretUsageType type : values()) {
            if (type.xmlName.equals(name)) {
                return type;
            }
        }
        return null;
    }

    /** The type with this number, or null. */
    public static SecretUsageType fromNumber(int number) {
        for (SecretUsageType type : values()) {
            if (type.number == number) {
                return type;
            }
        }
        return null;
    }
}
