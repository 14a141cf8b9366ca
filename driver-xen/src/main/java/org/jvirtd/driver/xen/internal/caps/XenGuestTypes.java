package org.jvirtd.driver.xen.internal.caps;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guest types a Xen host runs, read from xl info's xen_caps ("xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p
 * hvm-3.0-x86_64") the way libvirt's libxl driver reads it: one entry per (architecture, PV or HVM), PAE and
 * non-PAE flavours merged, and a PVH type added after each new HVM architecture (Xen 4.10 and later run PVH
 * wherever they run HVM).
 */
public final class XenGuestTypes {
    private static final Pattern CAP =
        Pattern.compile("(xen|hvm)-\\d+\\.\\d+-(aarch64|armv7l|x86_32|x86_64|ia64|powerpc64)(p|be)?");

    /** One guest type: os_type xen (PV), hvm or xenpvh, on {@code arch}. */
    public static final class Guest {
        final String arch;
        final boolean hvm;
        final boolean pvh;
        boolean pae;
        boolean nonpae;
        boolean ia64be;

        Guest(String arch, boolean hvm, boolean pvh) {
            this.arch = arch;
            this.hvm = hvm;
            this.pvh = pvh;
        }

        public String osType() {
            return hvm ? "hvm" : pvh ? "xenpvh" : "xen";
        }

        public String machine() {
            return hvm ? "xenfv" : pvh ? "xenpvh" : "xenpv";
        }

        public String arch() {
            return arch;
        }

        public int wordSize() {
            return arch.equals("i686") || arch.equals("armv7l") ? 32 : 64;
        }
    }

    private XenGuestTypes() {
    }

    public static List<Guest> of(String xenCaps) {
        List<Guest> guests = new ArrayList<>();
        for (String token : xenCaps.trim().split(" +")) {
            Matcher m = CAP.matcher(token);
            if (!m.find()) {
                continue;
            }
            boolean hvm = m.group(1).equals("hvm");
            String suffix = m.group(3);
            String arch = switch (m.group(2)) {
                case "x86_32" -> "i686";
                case "ia64" -> "ia64";
                case "powerpc64" -> "ppc64";
                default -> m.group(2);
            };
            Guest guest = null;
            for (Guest g : guests) {
                if (g.arch.equals(arch) && g.hvm == hvm) {
                    guest = g;
                    break;
                }
            }
            boolean added = guest == null;
            if (added) {
                guest = new Guest(arch, hvm, false);
                guests.add(guest);
            }
            if (arch.equals("i686")) {
                if ("p".equals(suffix)) {
                    guest.pae = true;
                } else {
                    guest.nonpae = true;
                }
            }
            if (arch.equals("ia64") && "be".equals(suffix)) {
                guest.ia64be = true;
            }
            if (hvm && added) {
                guests.add(new Guest(arch, false, true));
            }
        }
        return guests;
    }
}
