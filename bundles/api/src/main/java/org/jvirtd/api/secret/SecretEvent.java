package org.jvirtd.api.secret;

/**
 * An event of one secret: a lifecycle event (virConnectSecretEventLifecycleCallback, DEFINED or UNDEFINED,
 * detail always 0) or a change of its value (virConnectSecretEventGenericCallback of VALUE_CHANGED).
 */
public record SecretEvent(SecretRef secret, Type type) {
    /** virSecretEventID values. */
    public static final int EVENT_ID_LIFECYCLE = 0;
    public static final int EVENT_ID_VALUE_CHANGED = 1;
    /** VIR_SECRET_EVENT_ID_LAST in libvirt 9.0. */
    public static final int EVENT_ID_LAST = 2;

    /** virSecretEventLifecycleType numbers for the lifecycle kinds; VALUE_CHANGED is its own event id. */
    public enum Type {
        DEFINED(0, "Defined"), UNDEFINED(1, "Undefined"), VALUE_CHANGED(-1, null);

        private final int number;
        private final String label;

        Type(int number, String label) {
            this.number = number;
            this.label = label;
        }

        public int number() {
            return number;
        }

        /** The word {@code virsh secret-event} prints for a lifecycle event. */
        public String label() {
            return label;
        }
    }

    /** virSecretEventID: 0 for lifecycle events, 1 (VALUE_CHANGED) for value changes. */
    public int eventId() {
        return type == Type.VALUE_CHANGED ? EVENT_ID_VALUE_CHANGED : EVENT_ID_LIFECYCLE;
    }

}
