package org.jvirtd.rpc.access;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.platform.conf.ConfFile;

/**
 * access_drivers from the daemon's config: "nop" (the default: every call permitted, nothing checked) and
 * "polkit"; with several, every one must permit, as libvirt stacks them.
 */
public final class AccessDrivers {
    private AccessDrivers() {
    }

    /**
     * The drivers that check something ("nop" checks nothing and is left out), in the configured order.
     *
     * @throws IllegalStateException for a driver jvirtd does not have
     */
    public static List<AccessDriver> from(ConfFile conf) {
        List<AccessDriver> drivers = new ArrayList<>();
        for (String name : conf.strings("access_drivers", List.of("nop"))) {
            switch (name) {
                case "nop" -> { }
                case "polkit" -> drivers.add(new PolkitAccessDriver());
                default -> throw new IllegalStateException("access_drivers: jvirtd has no '" + name
                    + "' access driver (only \"nop\" and \"polkit\")");
            }
        }
        return List.copyOf(drivers);
    }
}
