package org.jvirtd.driver.lxc.internal.controller;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The Linux calls a container needs and the JDK lacks, through JNA: namespaces (unshare, setns), mounts and
 * pivot_root, device nodes, pseudo-terminals, sessions and exec. Each wrapper throws {@link LinuxError}
 * naming the call and errno, so a failed step says what failed.
 */
public final class Linux {
    public static final int CLONE_NEWNS = 0x00020000;
    public static final int CLONE_NEWUTS = 0x04000000;
    public static final int CLONE_NEWIPC = 0x08000000;
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int CLONE_NEWPID = 0x20000000;

    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_REMOUNT = 32;
    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_PRIVATE = 1 << 18;
    public static final int MNT_DETACH = 2;

    public static final int O_RDWR = 2;
    public static final int O_NOCTTY = 0400;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;

    public static final int S_IFCHR = 0020000;
    public static final long TIOCSCTTY = 0x540E;

    private static final long SYS_GETTID = 186;
    private static final long SYS_PIVOT_ROOT = 155;
    private static final long SYS_CLOSE_RANGE = 436;
    private static final int CLOSE_RANGE_CLOEXEC = 1 << 2;
    private static final int TERMIOS_SIZE = 60;
    private static final int TCSANOW = 0;

    /** libc as JNA sees it; size_t is 64 bits on the platforms jvirtd runs on. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int unshare(int flags);

        int setns(int fd, int nstype);

        int mount(String source, String target, String fstype, long flags, String data);

        int umount2(String target, int flags);

        long syscall(long number, Object... args);

        int sethostname(String name, long length);

        int mknod(String path, int mode, long dev);

        int chdir(String path);

        int setsid();

        int ioctl(int fd, long request, Object... args);

        int open(String path, int flags);

        int close(int fd);

        int dup2(int from, int to);

        int execve(String path, String[] argv, String[] envp);

        int posix_openpt(int flags);

        int grantpt(int fd);

        int unlockpt(int fd);

        int ptsname_r(int fd, byte[] buffer, long length);

        int tcgetattr(int fd, Pointer termios);

        int tcsetattr(int fd, int when, Pointer termios);

        void cfmakeraw(Pointer termios);

        long read(int fd, byte[] buffer, long count);

        long write(int fd, byte[] buffer, long count);

        int poll(Pointer fds, long nfds, int timeoutMillis);

        int kill(int pid, int signal);

        int getpid();
    }

    private static final LibC C = LibC.INSTANCE;

    private Linux() {
    }

    /** A failed call: which, with what, and errno. */
    public static final class LinuxError extends RuntimeException {
        private final int errno;

        LinuxError(String call, int errno) {
            super(call + " failed: errno " + errno);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    private static int check(int result, String call) {
        if (result < 0) {
            throw new LinuxError(call, Native.getLastError());
        }
        return result;
    }

    public static void unshare(int flags) {
        check(C.unshare(flags), "unshare(0x" + Integer.toHexString(flags) + ")");
    }

    public static void mount(String source, String target, String fstype, long flags, String data) {
        check(C.mount(source, target, fstype, flags, data), "mount " + source + " on " + target
            + (fstype == null ? "" : " (" + fstype + ")"));
    }

    public static void umount(String target, int flags) {
        check(C.umount2(target, flags), "umount " + target);
    }

    public static void pivotRoot(String newRoot, String putOld) {
        check((int) C.syscall(SYS_PIVOT_ROOT, newRoot, putOld), "pivot_root " + newRoot);
    }

    public static void sethostname(String name) {
        byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        check(C.sethostname(name, bytes.length), "sethostname " + name);
    }

    /** A character device node with {@code mode} permissions. */
    public static void mknodChar(String path, int mode, int major, int minor) {
        long dev = ((long) (major & 0xfffff000) << 32) | ((major & 0xfff) << 8)
            | ((long) (minor & 0xffffff00) << 12) | (minor & 0xff);
        check(C.mknod(path, S_IFCHR | mode, dev), "mknod " + path);
    }

    public static void chdir(String path) {
        check(C.chdir(path), "chdir " + path);
    }

    public static void setsid() {
        check(C.setsid(), "setsid");
    }

    /** Makes the terminal open on {@code fd} the caller's controlling terminal. */
    public static void takeControllingTerminal(int fd) {
        check(C.ioctl(fd, TIOCSCTTY, 0), "ioctl TIOCSCTTY");
    }

    public static int open(String path, int flags) {
        return check(C.open(path, flags), "open " + path);
    }

    public static void close(int fd) {
        C.close(fd);
    }

    public static void dup2(int from, int to) {
        check(C.dup2(from, to), "dup2");
    }

    /**
     * Marks every descriptor from {@code first} up close-on-exec (close_range(2) with CLOSE_RANGE_CLOEXEC): the
     * JVM keeps the files it reads until the exec, and init inherits none of them.
     */
    public static void closeOnExecFrom(int first) {
        check((int) C.syscall(SYS_CLOSE_RANGE, first, -1, CLOSE_RANGE_CLOEXEC), "close_range");
    }

    /** Replaces this process (every JVM thread with it) by {@code path}; returns only by throwing. */
    public static void execve(String path, String[] argv, String[] envp) {
        C.execve(path, argv, envp);
        throw new LinuxError("execve " + path, Native.getLastError());
    }

    /** A new pseudo-terminal: the master's fd and the slave's path. */
    public record Pty(int master, String slave) {
    }

    public static Pty openPty() {
        int master = check(C.posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), "posix_openpt");
        check(C.grantpt(master), "grantpt");
        check(C.unlockpt(master), "unlockpt");
        byte[] name = new byte[128];
        check(C.ptsname_r(master, name, name.length) == 0 ? 0 : -1, "ptsname_r");
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        return new Pty(master, new String(name, 0, end, java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Switches the terminal on {@code fd} to raw mode: no echo, no line editing, no signals from keys. */
    public static void makeRaw(int fd) {
        Memory termios = new Memory(TERMIOS_SIZE);
        check(C.tcgetattr(fd, termios), "tcgetattr");
        C.cfmakeraw(termios);
        check(C.tcsetattr(fd, TCSANOW, termios), "tcsetattr");
    }

    /** read(2): the count, 0 at end, -errno on failure. */
    public static long read(int fd, byte[] buffer) {
        long n = C.read(fd, buffer, buffer.length);
        return n < 0 ? -Native.getLastError() : n;
    }

    /** write(2) of the first {@code length} bytes: the count written, -errno on failure. */
    public static long write(int fd, byte[] buffer, int length) {
        long n = C.write(fd, buffer, length);
        return n < 0 ? -Native.getLastError() : n;
    }

    /** poll(2) over {@code fds} for input: the revents of each, or null on timeout. */
    public static short[] pollIn(int[] fds, int timeoutMillis) {
        Memory pollfds = new Memory(8L * fds.length);
        for (int i = 0; i < fds.length; i++) {
            pollfds.setInt(8L * i, fds[i]);
            pollfds.setShort(8L * i + 4, (short) 1);
            pollfds.setShort(8L * i + 6, (short) 0);
        }
        int ready = C.poll(pollfds, fds.length, timeoutMillis);
        if (ready <= 0) {
            return null;
        }
        short[] revents = new short[fds.length];
        for (int i = 0; i < fds.length; i++) {
            revents[i] = pollfds.getShort(8L * i + 6);
        }
        return revents;
    }

    /** kill(2); false when the process does not exist. */
    public static boolean kill(int pid, int signal) {
        return C.kill(pid, signal) == 0;
    }

    public static int getpid() {
        return C.getpid();
    }

    public static int gettid() {
        return (int) C.syscall(SYS_GETTID);
    }
}
