package org.jvirtd.platform.host;

import java.io.IOException;
import java.util.BitSet;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The host CPUs a thread may run on (sched_getaffinity / sched_setaffinity), which the JDK cannot reach: how
 * a guest's vCPU and emulator threads are pinned.
 */
public final class Affinity {
    /** Room for 8192 CPUs, the most libvirt's CPU maps describe (REMOTE_CPUMAP_MAX bytes * 8 / 2). */
    private static final int MASK_BYTES = 1024;

    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int sched_setaffinity(int pid, long size, byte[] mask);

        int sched_getaffinity(int pid, long size, byte[] mask);
    }

    private Affinity() {
    }

    /** Lets thread {@code tid} (a thread or process id) run on exactly {@code cpus}. */
    public static void set(long tid, BitSet cpus) throws IOException {
        byte[] mask = new byte[MASK_BYTES];
        byte[] bits = cpus.toByteArray();
        System.arraycopy(bits, 0, mask, 0, Math.min(bits.length, mask.length));
        if (LibC.INSTANCE.sched_setaffinity((int) tid, mask.length, mask) != 0) {
            throw new IOException("cannot set CPU affinity on process " + tid + ": errno " + Native.getLastError());
        }
    }

    /** The CPUs thread {@code tid} may run on. */
    public static BitSet get(long tid) throws IOException {
        byte[] mask = new byte[MASK_BYTES];
        if (LibC.INSTANCE.sched_getaffinity((int) tid, mask.length, mask) < 0) {
            throw new IOException("cannot get CPU affinity of process " + tid + ": errno " + Native.getLastError());
        }
        return BitSet.valueOf(mask);
    }
}
