package org.jvirtd.driver.xen.internal.xl;

/**
 * Disk target names to their index as libvirt counts them: hda 0, hdb 1, ..., hdz 25, hdaa 26.
 */
final class DiskNames {
    private DiskNames() {
    }

    /** The index of a name with one of libvirt's prefixes (fd hd vd sd xvd ubd), -1 for any other. */
    static int index(String name) {
        for (String prefix : new String[] {"xvd", "ubd", "fd", "hd", "vd", "sd"}) {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                int index = 0;
                for (char c : name.substring(prefix.length()).toCharArray()) {
                    if (c < 'a' || c > 'z') {
                        return -1;
                    }
                    index = index * 26 + (c - 'a' + 1);
                }
                return index - 1;
            }
        }
        return -1;
    }
}
