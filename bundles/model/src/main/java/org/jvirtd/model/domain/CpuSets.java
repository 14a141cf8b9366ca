package org.jvirtd.model.domain;

import java.util.BitSet;

/** libvirt's CPU list syntax ("0-3,^2,8"), read into and written from a set of CPU numbers. */
public final class CpuSets {
    /** libvirt's bound for CPU bitmaps (VIR_DOMAIN_CPUMASK_LEN): CPUs 0-16383. */
    public static final int LIMIT = 16384;

    private CpuSets() {
    }

    /**
     * Reads a CPU list; ranges add, {@code ^} ranges take away, in order.
     *
     * @throws NumberFormatException when a part is not a number, or a range runs backwards or past {@link #LIMIT}
     */
    public static BitSet parse(String text) {
        BitSet set = new BitSet();
        for (String part : text.split(",")) {
            String p = part.strip();
            boolean negate = p.startsWith("^");
            if (negate) {
                p = p.substring(1);
            }
            int dash = p.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
            int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).strip());
            if (from < 0 || to < from || to >= LIMIT) {
                throw new NumberFormatException("bad range " + p);
            }
            if (negate) {
                set.clear(from, to + 1);
            } else {
                set.set(from, to + 1);
            }
        }
        return set;
    }

    /** The shortest list: runs as ranges, "" for no CPU. */
    public static String format(BitSet set) {
        StringBuilder out = new StringBuilder();
        for (int i = set.nextSetBit(0); i >= 0; ) {
            int end = set.nextClearBit(i) - 1;
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(i);
            if (end > i) {
                out.append('-').append(end);
            }
            i = set.nextSetBit(end + 1);
        }
        return out.toString();
    }
}
