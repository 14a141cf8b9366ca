package org.jvirtd.rpc.access;

import java.util.Map;

/**
 * One permission a procedure checks, and when: always, or only for some values of the call's flags (or of its
 * "source" argument), as libvirt's @acl annotations qualify them ("domain:save:VIR_DOMAIN_AFFECT_CONFIG").
 *
 * @param mask     the flags the condition looks at, 0 for no condition on flags
 * @param noneSet  true: checked when the flags hold none of {@code mask}; false: when they hold all of it
 * @param source   the "source" argument's value that needs the check, -1 for no condition on it
 */
public record AclCheck(Permission permission, int mask, boolean noneSet, int source) {
    /** The flag names the table uses, with libvirt's values. */
    private static final Map<String, Integer> FLAGS = Map.ofEntries(
        Map.entry("VIR_DOMAIN_AFFECT_LIVE", 1),
        Map.entry("VIR_DOMAIN_AFFECT_CONFIG", 2),
        Map.entry("VIR_DOMAIN_XML_SECURE", 1),
        Map.entry("VIR_DOMAIN_XML_MIGRATABLE", 8),
        Map.entry("VIR_DOMAIN_REBOOT_GUEST_AGENT", 2),
        Map.entry("VIR_DOMAIN_SHUTDOWN_GUEST_AGENT", 2),
        Map.entry("VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE", 64),
        Map.entry("VIR_DOMAIN_SNAPSHOT_XML_SECURE", 1),
        Map.entry("VIR_DOMAIN_VCPU_GUEST", 8),
        Map.entry("VIR_NETWORK_UPDATE_AFFECT_LIVE", 1),
        Map.entry("VIR_NETWORK_UPDATE_AFFECT_CONFIG", 2),
        Map.entry("VIR_DOMAIN_SAVE_IMAGE_XML_SECURE", 1),
        Map.entry("VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE", 2),
        Map.entry("VIR_DOMAIN_CHECKPOINT_XML_SECURE", 1),
        Map.entry("VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT", 1));

    /** "domain:write", "domain:save:!VIR_DOMAIN_AFFECT_CONFIG|VIR_DOMAIN_AFFECT_LIVE", "domain:write:source=NAME". */
    public static AclCheck parse(String text) {
        String[] parts = text.split(":", 3);
        Permission permission = Permission.parse(parts[0] + ":" + parts[1]);
        if (parts.length == 2) {
            return new AclCheck(permission, 0, false, -1);
        }
        String condition = parts[2];
        if (condition.startsWith("source=")) {
            return new AclCheck(permission, 0, false, value(condition.substring("source=".length())));
        }
        boolean noneSet = condition.startsWith("!");
        int mask = 0;
        for (String flag : condition.substring(noneSet ? 1 : 0).split("\\|")) {
            mask |= value(flag);
        }
        return new AclCheck(permission, mask, noneSet, -1);
    }

    private static int value(String flag) {
        Integer value = FLAGS.get(flag);
        if (value == null) {
            throw new IllegalArgumentException("unknown flag " + flag);
        }
        return value;
    }

    /** Whether a call with these flags and source argument needs this permission. */
    public boolean applies(int flags, int sourceArgument) {
        if (source >= 0) {
            return sourceArgument == source;
        }
        if (mask == 0) {
            return true;
        }
        return noneSet ? (flags & mask) == 0 : (flags & mask) == mask;
    }

    /** Whether the check depends on the call's arguments beyond its object. */
    public boolean conditional() {
        return mask != 0 || source >= 0;
    }
}
