package org.jvirtd.api;

/**
 * libvirt's error domains (virErrorDomain): which part of the system reported an error.
 */
public enum ErrorDomain {
    NONE(0), XEN(1), XML(5), DOM(6), RPC(7), CONF(9), QEMU(10), NET(11), TEST(12), REMOTE(13),
    LXC(17), STORAGE(18), NETWORK(19), DOMAIN(20), NODEDEV(22), SECURITY(24), INTERFACE(26), SECRET(30), CPU(31), NWFILTER(33), CAPABILITIES(44),
    STREAMS(38), EVENT(40), LIBXL(41), URI(45), AUTH(46), DEVICE(49), CGROUP(54), ACCESS(55),
    FIREWALL(59), POLKIT(60), THREAD(61), ADMIN(62), LOGGING(63), XENXL(64);

    private final int number;

    ErrorDomain(int number) {
        this.number = number;
    }

    /** The virErrorDomain value sent on the wire. */
    public int number() {
        return number;
    }

    public static ErrorDomain fromNumber(int number) {
        for (ErrorDomain domain : values()) {
            if (domain.number == number) {
                return domain;
            }
        }
        return NONE;
    }
}
