package org.jvirtd.driver.lxc.internal.controller;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The container's first process, before it becomes init: a short-lived JVM that the controller started as
 * PID 1 of new pid, mount, uts, ipc and net namespaces. It waits until the controller has moved the veth peers
 * in, names them, builds the root (bind mounts and RAM file systems, /proc, /sys, a tmpfs /dev with libvirt's minimal node set and
 * a private /dev/pts, the console pty on /dev/console), pivots into it, joins the container's cgroups and
 * execs {@code <init>} with its arguments and environment, so init keeps PID 1.
 *
 * <p>Why a JVM here: /proc must be mounted by a process inside the new PID namespace, and a JVM cannot fork;
 * the controller's thread that unshared the namespaces spawns this class, and JNA's execve then replaces the
 * whole JVM by init. Joining the memory cgroup just before the exec keeps the JVM's own pages out of the
 * container's limit. Speaks to the controller on stdin/stdout: prints {@code ready}, waits for {@code go},
 * prints {@code exec} (or {@code error: ...}) at the end.
 */
public final class ContainerInit {
    private static final String OLD_ROOT = ".oldroot";

    private ContainerInit() {
    }

    public static void main(String[] args) throws Exception {
        try {
            ControllerConfig config = ControllerConfig.read(Path.of(args[0]));
            String consolePath = args[1];
            System.out.println("ready");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (!"go".equals(in.readLine())) {
                System.exit(2);
            }
            nameInterfaces(config);
            Linux.mount(null, "/", null, Linux.MS_REC | Linux.MS_PRIVATE, null);
            List<FileOutputStream> cgroups = new ArrayList<>();
            for (String dir : config.cgroups()) {
                cgroups.add(new FileOutputStream(Path.of(dir, "cgroup.procs").toFile()));
            }
            String root = config.root();
            buildRoot(config, root, consolePath);
            Linux.sethostname(config.name());
            pivot(root);
            System.out.println("exec");
            System.out.flush();
            for (FileOutputStream procs : cgroups) {
                procs.write("0".getBytes(StandardCharsets.US_ASCII));
                procs.close();
            }
            attachConsole();
            if (config.initDir() != null) {
                Linux.chdir(config.initDir());
            }
            List<String> argv = new ArrayList<>();
            argv.add(config.init());
            argv.addAll(config.initArgs());
            Linux.closeOnExecFrom(3);
            Linux.execve(config.init(), argv.toArray(String[]::new), environment(config).toArray(String[]::new));
        } catch (Exception e) {
            System.out.println("error: " + e.getMessage());
            System.out.flush();
            System.exit(1);
        }
    }

    /** libvirt's environment for init, then the definition's {@code <initenv>}. */
    static List<String> environment(ControllerConfig config) {
        List<String> env = new ArrayList<>(List.of("PATH=/bin:/usr/bin:/sbin:/usr/sbin", "container=lxc-libvirt",
            "HOME=/", "container_uuid=" + config.uuid(), "LIBVIRT_LXC_UUID=" + config.uuid(),
            "LIBVIRT_LXC_NAME=" + config.name(), "TERM=linux"));
        env.addAll(config.initEnv());
        return env;
    }

    /** The controller moved each veth peer in under its host name plus "p": rename it, set its MAC, bring it up. */
    private static void nameInterfaces(ControllerConfig config) throws IOException, InterruptedException {
        run("ip", "link", "set", "lo", "up");
        for (ControllerConfig.Veth v : config.veths()) {
            List<String> rename = new ArrayList<>(List.of("ip", "link", "set", "dev", ControllerMain.peerName(v),
                "name", v.guest()));
            if (v.mac() != null) {
                rename.addAll(List.of("address", v.mac()));
            }
            run(rename.toArray(String[]::new));
            run("ip", "link", "set", "dev", v.guest(), "up");
        }
    }

    static void run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + out);
        }
    }

    private static void buildRoot(ControllerConfig config, String root, String consolePath) throws IOException {
        Linux.mount(root, root, null, Linux.MS_BIND | Linux.MS_REC, null);
        for (ControllerConfig.BindMount m : config.mounts()) {
            String target = root + m.target();
            Files.createDirectories(Path.of(target));
            if (m.source() == null) {
                Linux.mount("tmpfs", target, "tmpfs", Linux.MS_NOSUID | Linux.MS_NODEV, "size=" + m.ramKiB() + "k");
                continue;
            }
            Linux.mount(m.source(), target, null, Linux.MS_BIND | Linux.MS_REC, null);
            if (m.readOnly()) {
                Linux.mount(null, target, null, Linux.MS_BIND | Linux.MS_REMOUNT | Linux.MS_RDONLY, null);
            }
        }
        String proc = root + "/proc";
        Files.createDirectories(Path.of(proc));
        Linux.mount("proc", proc, "proc", Linux.MS_NOSUID | Linux.MS_NODEV | Linux.MS_NOEXEC, null);
        Linux.mount(proc + "/sys", proc + "/sys", null, Linux.MS_BIND, null);
        Linux.mount(null, proc + "/sys", null, Linux.MS_BIND | Linux.MS_REMOUNT | Linux.MS_RDONLY, null);
        String sys = root + "/sys";
        Files.createDirectories(Path.of(sys));
        Linux.mount("sysfs", sys, "sysfs", Linux.MS_NOSUID | Linux.MS_NODEV | Linux.MS_NOEXEC | Linux.MS_RDONLY,
            null);
        buildDev(root + "/dev", consolePath);
    }

    /** libvirt's minimal /dev: a tmpfs with null, zero, full, random, urandom, tty, a private devpts and the console. */
    private static void buildDev(String dev, String consolePath) throws IOException {
        Files.createDirectories(Path.of(dev));
        Linux.mount("devfs", dev, "tmpfs", Linux.MS_NOSUID, "mode=755,size=65536");
        int[][] nodes = {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}};
        String[] names = {"null", "zero", "full", "random", "urandom", "tty"};
        for (int i = 0; i < names.length; i++) {
            String path = dev + "/" + names[i];
            Linux.mknodChar(path, 0666, nodes[i][0], nodes[i][1]);
            Files.setPosixFilePermissions(Path.of(path), PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        Files.createDirectories(Path.of(dev, "pts"));
        Linux.mount("devpts", dev + "/pts", "devpts", Linux.MS_NOSUID | Linux.MS_NOEXEC,
            "newinstance,ptmxmode=0666,mode=0620,gid=5");
        Files.createSymbolicLink(Path.of(dev, "ptmx"), Path.of("pts/ptmx"));
        Files.createDirectories(Path.of(dev, "shm"));
        Linux.mount("shm", dev + "/shm", "tmpfs", Linux.MS_NOSUID | Linux.MS_NODEV, "mode=1777,size=65536k");
        Files.createSymbolicLink(Path.of(dev, "fd"), Path.of("/proc/self/fd"));
        Files.createSymbolicLink(Path.of(dev, "stdin"), Path.of("/proc/self/fd/0"));
        Files.createSymbolicLink(Path.of(dev, "stdout"), Path.of("/proc/self/fd/1"));
        Files.createSymbolicLink(Path.of(dev, "stderr"), Path.of("/proc/self/fd/2"));
        Path console = Path.of(dev, "console");
        Files.createFile(console);
        Linux.mount(consolePath, console.toString(), null, Linux.MS_BIND, null);
        Files.createSymbolicLink(Path.of(dev, "tty1"), Path.of("console"));
    }

    private static void pivot(String root) throws IOException {
        Path old = Path.of(root, OLD_ROOT);
        Files.createDirectories(old);
        Linux.pivotRoot(root, old.toString());
        Linux.chdir("/");
        Linux.umount("/" + OLD_ROOT, Linux.MNT_DETACH);
        Files.delete(Path.of("/" + OLD_ROOT));
    }

    /** A new session with /dev/console as controlling terminal and as stdin, stdout and stderr. */
    private static void attachConsole() {
        Linux.setsid();
        int fd = Linux.open("/dev/console", Linux.O_RDWR);
        Linux.takeControllingTerminal(fd);
        for (int std = 0; std <= 2; std++) {
            Linux.dup2(fd, std);
        }
        if (fd > 2) {
            Linux.close(fd);
        }
    }
}
