package org.jvirtd.driver.lxc.internal.controller;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A container's controller, the counterpart of libvirt's libvirt_lxc: its own process, started by the driver
 * and detached from the daemon (a session of its own), so a container outlives daemon restarts and driver
 * updates. It makes the container's cgroups and console, starts its first process in new namespaces
 * ({@link ContainerInit}), plugs the veth pairs in, relays the console between the container's pty and a host
 * pty the daemon opens, restarts the container when its init reboots, and at the end removes the cgroups and
 * veths and says why the container stopped. The daemon talks to it through a unix socket ({@link
 * ControllerSocket}).
 *
 * <p>Run as {@code java -cp <driver jar>:<jna jar> ...ControllerMain CONFIG}; the config is a {@link
 * ControllerConfig} file.
 */
public final class ControllerMain {
    private static final int SIGHUP = 1;
    private static final int SIGINT = 2;
    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;
    private static final long START_TIMEOUT_SECONDS = 60;
    /** libvirt's device allow-list: the nodes of the minimal /dev, and every pty (the console, /dev/pts). */
    private static final List<String> DEVICES_ALLOWED = List.of("c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm",
        "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm");

    private final Path configFile;
    private final ControllerConfig config;
    private final ConsoleRelay console;
    private final ControllerSocket socket;
    private volatile int initPid;
    private volatile String stopRequest;

    private ControllerMain(Path configFile, ControllerConfig config, ConsoleRelay console, ControllerSocket socket) {
        this.configFile = configFile;
        this.config = config;
        this.console = console;
        this.socket = socket;
    }

    public static void main(String[] args) throws Exception {
        try {
            Linux.setsid();
        } catch (Linux.LinuxError e) {
            log("already a session leader: " + e.getMessage());
        }
        Path configFile = Path.of(args[0]);
        ControllerConfig config = ControllerConfig.read(configFile);
        ConsoleRelay console = ConsoleRelay.open();
        ControllerSocket socket = ControllerSocket.listen(Path.of(config.socket()));
        ControllerMain controller = new ControllerMain(configFile, config, console, socket);
        socket.onCommand(controller::command);
        int status;
        try {
            makeCgroups(config);
            status = controller.runUntilStopped();
        } catch (Exception e) {
            log("container failed: " + e.getMessage());
            controller.cleanUp();
            socket.broadcast("failed " + oneLine(e.getMessage()));
            socket.close();
            System.exit(1);
            return;
        }
        controller.cleanUp();
        socket.broadcast("exit " + controller.reason(status));
        socket.close();
        System.exit(0);
    }

    /** Boots the container and boots it again after each reboot of its init; returns init's last wait status. */
    private int runUntilStopped() throws Exception {
        while (true) {
            Process init = boot();
            socket.setHello("running " + init.pid() + " " + console.hostPath());
            socket.broadcast("running " + init.pid() + " " + console.hostPath());
            int status = init.waitFor();
            log("init " + init.pid() + " ended with " + status);
            awaitCgroupEmpty();
            boolean rebooted = status == 128 + SIGHUP;
            if ("reboot".equals(stopRequest) || rebooted && stopRequest == null) {
                stopRequest = null;
                removeVeths();
                socket.broadcast("rebooted");
                continue;
            }
            return status;
        }
    }

    /** Why the container stopped, as the driver's monitor understands it. */
    private String reason(int status) {
        if ("destroy".equals(stopRequest)) {
            return "destroyed";
        }
        if (status < 128 || status == 128 + SIGINT || status == 128 + SIGHUP || status == 128 + SIGTERM
            || stopRequest != null) {
            return "shutdown";
        }
        return "crashed";
    }

    /**
     * Starts {@link ContainerInit} as PID 1 of new namespaces: a thread of this JVM unshares them (they apply
     * to that thread and what it spawns) and spawns the JVM, then ends; the veths go into the new network
     * namespace before the init is told to go on.
     */
    private Process boot() throws Exception {
        CompletableFuture<Process> spawned = new CompletableFuture<>();
        Thread spawner = new Thread(() -> {
            try {
                Linux.unshare(Linux.CLONE_NEWPID | Linux.CLONE_NEWNS | Linux.CLONE_NEWUTS | Linux.CLONE_NEWIPC
                    | Linux.CLONE_NEWNET);
                List<String> argv = new ArrayList<>(javaCommand());
                argv.addAll(List.of(ContainerInit.class.getName(), configFile.toString(), console.containerPath()));
                spawned.complete(new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start());
            } catch (Throwable e) {
                spawned.completeExceptionally(e);
            }
        }, "lxc-spawn");
        spawner.start();
        Process init = spawned.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        spawner.join();
        initPid = (int) init.pid();
        BufferedReader out = new BufferedReader(new InputStreamReader(init.getInputStream(), StandardCharsets.UTF_8));
        expect(out, "ready", init);
        try {
            createVeths(init.pid());
        } catch (IOException e) {
            init.destroyForcibly();
            throw e;
        }
        OutputStream in = init.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
        expect(out, "exec", init);
        awaitExec(init);
        return init;
    }

    /**
     * The first process says "exec" just before execve(2): waits until its program is no longer this JVM's (the
     * file /proc/PID/exe leads to, compared by device and inode, since its path means nothing across the pivot).
     */
    private static void awaitExec(Process init) throws IOException {
        Path exe = Path.of("/proc", Long.toString(init.pid()), "exe");
        Object java = fileKey(Path.of("/proc/self/exe"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline && init.isAlive()) {
            try {
                if (!fileKey(exe).equals(java)) {
                    return;
                }
            } catch (IOException e) {
                // between the old program and the new one
            }
            sleep(5);
        }
        if (!init.isAlive()) {
            throw new IOException("the container's init ended at once (status " + init.exitValue() + ")");
        }
        throw new IOException("the container's first process did not exec init within " + START_TIMEOUT_SECONDS
            + " s");
    }

    private static void expect(BufferedReader out, String word, Process init) throws IOException {
        String line = out.readLine();
        if (!word.equals(line)) {
            init.destroyForcibly();
            throw new IOException(line == null ? "the container's first process ended before '" + word + "'"
                : line.startsWith("error: ") ? line.substring(7) : "unexpected '" + line + "'");
        }
    }

    /** The java command that runs a class of this jar (and JNA) the way this controller was run. */
    static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        return List.of(java, "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-Djdk.lang.Process.launchMechanism=VFORK", "-cp", System.getProperty("java.class.path"));
    }

    private void createVeths(long pid) throws IOException {
        for (ControllerConfig.Veth v : config.veths()) {
            run(hostIp("link", "add", v.host(), "type", "veth", "peer", "name", peerName(v)));
            run(hostIp("link", "set", "dev", peerName(v), "netns", Long.toString(pid)));
            if (v.bridge() != null) {
                run(hostIp("link", "set", "dev", v.host(), "master", v.bridge()));
            }
            run(hostIp("link", "set", "dev", v.host(), "up"));
        }
    }

    /** An ip(8) command on the host side: in the network namespace jvirtd.conf names, if any. */
    private String[] hostIp(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        if (!config.netns().isEmpty()) {
            argv.addAll(List.of("-n", config.netns()));
        }
        argv.addAll(List.of(args));
        return argv.toArray(String[]::new);
    }

    private boolean hostLinkExists(String name) {
        if (config.netns().isEmpty()) {
            return Files.exists(Path.of("/sys/class/net", name));
        }
        try {
            return new ProcessBuilder(hostIp("link", "show", "dev", name)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    }

    /** The temporary name of a veth's container end until the container names it. */
    static String peerName(ControllerConfig.Veth v) {
        String base = v.host().length() > 13 ? v.host().substring(0, 13) : v.host();
        return base + "-p";
    }

    /** The host ends go with the container's network namespace; any left behind is deleted. */
    private void removeVeths() {
        for (ControllerConfig.Veth v : config.veths()) {
            for (int i = 0; i < 50 && hostLinkExists(v.host()); i++) {
                sleep(100);
            }
            if (hostLinkExists(v.host())) {
                try {
                    run(hostIp("link", "del", v.host()));
                } catch (IOException e) {
                    log(e.getMessage());
                }
            }
        }
    }

    private static void run(String... argv) throws IOException {
        try {
            ContainerInit.run(argv);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", argv));
        }
    }

    private static void makeCgroups(ControllerConfig config) throws IOException {
        for (String dir : config.cgroups()) {
            Path path = Path.of(dir);
            Files.createDirectories(path);
            if (path.toString().contains("/cpuset/")) {
                inheritCpuset(path);
            }
            if (config.memoryLimitBytes() > 0) {
                for (String file : List.of("memory.limit_in_bytes", "memory.max")) {
                    if (Files.exists(path.resolve(file))) {
                        Files.writeString(path.resolve(file), Long.toString(config.memoryLimitBytes()));
                    }
                }
            }
            if (Files.exists(path.resolve("devices.deny"))) {
                Files.writeString(path.resolve("devices.deny"), "a");
                for (String rule : DEVICES_ALLOWED) {
                    Files.writeString(path.resolve("devices.allow"), rule);
                }
            }
        }
    }

    /** A v1 cpuset group takes no task before it has CPUs and memory nodes: copy its parent's (up the tree). */
    private static void inheritCpuset(Path dir) throws IOException {
        for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
            if (Files.readString(dir.resolve(file)).isBlank()) {
                Path parent = dir.getParent();
                if (Files.readString(parent.resolve(file)).isBlank()) {
                    inheritCpuset(parent);
                }
                Files.writeString(dir.resolve(file), Files.readString(parent.resolve(file)).strip());
            }
        }
    }

    /** The kernel ends every process of the PID namespace after init; waits until the cgroup shows none. */
    private void awaitCgroupEmpty() {
        for (String dir : config.cgroups()) {
            Path procs = Path.of(dir, "cgroup.procs");
            for (int i = 0; i < 100; i++) {
                try {
                    if (!Files.exists(procs) || Files.readString(procs).isBlank()) {
                        break;
                    }
                } catch (IOException e) {
                    break;
                }
                sleep(100);
            }
        }
    }

    private void cleanUp() {
        if (initPid > 0) {
            Linux.kill(initPid, SIGKILL);
        }
        awaitCgroupEmpty();
        removeVeths();
        for (String dir : config.cgroups()) {
            Path path = Path.of(dir);
            for (int i = 0; i < 20 && Files.exists(path); i++) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    sleep(100);
                }
            }
        }
        console.close();
        try {
            Files.deleteIfExists(configFile);
        } catch (IOException e) {
            log(e.getMessage());
        }
    }

    /** A command from the daemon: shutdown, reboot, destroy. */
    private String command(String line) {
        int pid = initPid;
        switch (line) {
            case "shutdown" -> {
                stopRequest = "shutdown";
                return Linux.kill(pid, SIGTERM) ? "ok" : "error init is not running";
            }
            case "reboot" -> {
                stopRequest = "reboot";
                return Linux.kill(pid, SIGTERM) ? "ok" : "error init is not running";
            }
            case "destroy" -> {
                stopRequest = "destroy";
                return Linux.kill(pid, SIGKILL) ? "ok" : "error init is not running";
            }
            default -> {
                return "error unknown command " + line;
            }
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ');
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void log(String message) {
        System.err.println(java.time.Instant.now() + " " + message);
    }
}
