package org.jvirtd.rpc.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvirtd.rpc.dispatch.Dispatcher;
import org.jvirtd.rpc.procedures.RemoteProgram;
import org.jvirtd.rpc.server.Listener;
import org.jvirtd.rpc.server.RpcServer;
import org.jvirtd.rpc.server.ServerSettings;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.testing.Prerequisite;

/**
 * auth_unix_rw/ro = "polkit" against the real polkitd: a private D-Bus system bus, and polkitd in a mount
 * namespace of its own where the test's rules.d and jvirtd's action file sit over the system's. The rules
 * are the Gentoo notes' group rule (members of the group manage) plus one refusing a user outright;
 * everyone else gets the action's default (manage: an administrator must authenticate, which without an
 * agent is "no polkit agent available"; monitor: yes). Users are created and removed (root only).
 */
class PolkitAuthTest {
    private static final String SUFFIX = Long.toString(ProcessHandle.current().pid(), 36);
    private static final String GROUP = "jvpg" + SUFFIX;
    private static final String MEMBER = "jvpm" + SUFFIX;
    private static final String OUTSIDER = "jvpo" + SUFFIX;
    private static final String DENIED = "jvpd" + SUFFIX;
    private static final Path POLICY = Path.of("../distribution/src/main/dist/share/polkit-1/actions/"
        + "org.libvirt.unix.policy");

    private static Path dir;
    private static Process bus;
    private static Process polkitd;
    private static InProcessDaemon daemon;
    private static RpcServer server;
    private static Path readWrite;
    private static Path readOnly;

    @BeforeAll
    static void busPolkitdUsersAndDaemon() throws Exception {
        Prerequisite.require("root (to create users and mount over /etc/polkit-1/rules.d)",
            "root".equals(System.getProperty("user.name")));
        Prerequisite.requirePrograms("dbus-daemon", "dbus-send", "unshare", "runuser", "virsh");
        Prerequisite.require("polkitd (/usr/lib/polkit-1/polkitd)", Files.isExecutable(Path.of(
            "/usr/lib/polkit-1/polkitd")));
        run("groupadd", GROUP);
        run("useradd", "-M", "-N", "-G", GROUP, MEMBER);
        run("useradd", "-M", "-N", OUTSIDER);
        run("useradd", "-M", "-N", DENIED);
        dir = Files.createTempDirectory("jvirtd-polkit");
        // polkitd reads the rules as its own user; the test users reach the sockets
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path rules = Files.createDirectories(dir.resolve("rules.d"));
        Path actions = Files.createDirectories(dir.resolve("actions"));
        Files.copy(POLICY, actions.resolve("org.libvirt.unix.policy"));
        Files.writeString(rules.resolve("50-libvirt.rules"), String.join("\n",
            "polkit.addRule(function(action, subject) {",
            "    if (action.id == \"org.libvirt.unix.manage\" && subject.isInGroup(\"" + GROUP + "\")) {",
            "        return polkit.Result.YES;",
            "    }",
            "});",
            "polkit.addRule(function(action, subject) {",
            "    if (action.id == \"org.libvirt.unix.manage\" && subject.user == \"" + DENIED + "\") {",
            "        return polkit.Result.NO;",
            "    }",
            "});", ""));
        Path socket = dir.resolve("bus");
        Files.writeString(dir.resolve("bus.conf"), busConfig(socket));
        String address = "unix:path=" + socket;
        bus = new ProcessBuilder("dbus-daemon", "--config-file=" + dir.resolve("bus.conf"), "--nofork",
            "--nopidfile").redirectErrorStream(true).redirectOutput(dir.resolve("bus.log").toFile()).start();
        ProcessBuilder polkit = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
            "mount --bind \"$1\" /etc/polkit-1/rules.d && mount --bind \"$2\" /usr/share/polkit-1/actions"
                + " && exec /usr/lib/polkit-1/polkitd --no-debug", "polkitd", rules.toString(), actions.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("polkitd.log").toFile());
        polkit.environment().put("DBUS_SYSTEM_BUS_ADDRESS", address);
        awaitFile(socket);
        polkitd = polkit.start();
        awaitPolkitd(address);

        daemon = new InProcessDaemon(ServerSettings.defaults());
        AuthSettings settings = new AuthSettings(UsernameAcl.of(null), new PolkitAuthority(address),
            null);
        readWrite = dir.resolve("libvirt-sock");
        readOnly = dir.resolve("libvirt-sock-ro");
        var everyone = PosixFilePermissions.fromString("rwxrwxrwx");
        server = new RpcServer(new Dispatcher(RemoteProgram.table(daemon.hypervisors())), ServerSettings.defaults(),
            List.of(Listener.unix(readWrite, false, everyone, null).withAuth(new ListenerAuth(AuthMethod.POLKIT,
                settings)), Listener.unix(readOnly, true, everyone, null).withAuth(new ListenerAuth(
                AuthMethod.POLKIT, settings))));
    }

    private static String busConfig(Path socket) {
        StringBuilder rules = new StringBuilder();
        for (String type : List.of("method_call", "method_return", "error", "signal")) {
            rules.append("    <allow send_type=\"").append(type).append("\"/>\n");
            rules.append("    <allow receive_type=\"").append(type).append("\"/>\n");
        }
        return "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN\"\n"
            + " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
            + "<busconfig>\n  <type>system</type>\n  <listen>unix:path=" + socket + "</listen>\n"
            + "  <auth>EXTERNAL</auth>\n  <policy context=\"default\">\n    <allow user=\"*\"/>\n"
            + "    <allow own=\"*\"/>\n" + rules + "  </policy>\n</busconfig>\n";
    }

    private static void awaitFile(Path file) throws InterruptedException {
        for (int i = 0; i < 200 && !Files.exists(file); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(file), "the test bus did not start");
    }

    /** Until polkitd owns its name on the test bus. */
    private static void awaitPolkitd(String address) throws Exception {
        for (int i = 0; i < 100; i++) {
            Processes.Result owner = Processes.run(List.of("env", "DBUS_SYSTEM_BUS_ADDRESS=" + address, "dbus-send",
                "--system", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.PolicyKit1"), null, 30);
            if (owner.stdout().contains("boolean true")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("polkitd did not come up: " + Files.readString(dir.resolve("polkitd.log")));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (server != null) {
            server.close();
            daemon.close();
        }
        for (Process process : new Process[] {polkitd, bus}) {
            if (process != null) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
        for (String user : List.of(MEMBER, OUTSIDER, DENIED)) {
            Processes.run(List.of("userdel", user), null, 30);
        }
        Processes.run(List.of("groupdel", GROUP), null, 30);
        if (dir != null) {
            Processes.run(List.of("rm", "-rf", dir.toString()), null, 30);
        }
    }

    private static void run(String... command) throws Exception {
        Processes.Result result = Processes.run(List.of(command), null, 30);
        assertEquals(0, result.exitCode(), result.toString());
    }

    private static Processes.Result virshAs(String user, Path socket) throws Exception {
        List<String> command = new ArrayList<>(List.of("runuser", "-u", user, "--", "env", "HOME=/tmp",
            "virsh", "-c", "test+unix:///default?socket=" + socket, "hostname"));
        return Processes.run(command, null, 60);
    }

    @Test
    void groupMemberManagesThroughTheGroupRule() throws Exception {
        Processes.Result result = virshAs(MEMBER, readWrite);
        assertEquals(0, result.exitCode(), result.toString());
    }

    @Test
    void outsiderIsRefusedManageForWantOfAnAgentButMonitors() throws Exception {
        Processes.Result manage = virshAs(OUTSIDER, readWrite);
        assertEquals(1, manage.exitCode(), manage.toString());
        assertTrue(manage.stderr().contains("error: authentication unavailable: no polkit agent available to "
            + "authenticate action 'org.libvirt.unix.manage'"), manage.stderr());
        Processes.Result monitor = virshAs(OUTSIDER, readOnly);
        assertEquals(0, monitor.exitCode(), monitor.toString());
    }

    @Test
    void userTheRulesRefuseIsDeniedByPolicy() throws Exception {
        Processes.Result result = Processes.run(List.of("runuser", "-u", DENIED, "--", "/usr/bin/python3", "-c",
            "import libvirt, sys\ntry:\n    libvirt.open(sys.argv[1])\nexcept libvirt.libvirtError as e:\n"
                + "    print(e.get_error_code(), e.get_error_domain(), e.get_error_message())",
            "test+unix:///default?socket=" + readWrite), null, 60);
        assertEquals("45 60 authentication failed: access denied by policy", result.stdout().trim(),
            result.toString());
    }

    @Test
    void rootNeedsNoPolkit() throws Exception {
        Processes.Result result = Processes.virsh("test+unix:///default?socket=" + readWrite, "hostname");
        assertEquals(0, result.exitCode(), result.toString());
    }
}
