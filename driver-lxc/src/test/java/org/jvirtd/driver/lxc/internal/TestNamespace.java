package org.jvirtd.driver.lxc.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.jvirtd.net.host.HostCommand;

/**
 * A network namespace a test creates for itself and deletes afterwards, so bridges, TAPs, rules and
 * dnsmasq never touch the host's own interfaces.
 */
final class TestNamespace implements AutoCloseable {
    public final String name = "jvl-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    public final HostCommand inside = new HostCommand(name);

    /** True when this process is root and {@code ip netns} works. */
    public static boolean available() {
        try {
            return "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).strip())
                && new ProcessBuilder("ip", "netns", "list").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public TestNamespace() {
        new HostCommand("").check("ip", "netns", "add", name);
        inside.check("ip", "link", "set", "lo", "up");
    }

    /** The names of the links in the namespace. */
    public List<String> links() {
        return inside.check("ip", "-o", "link", "show").lines().map(l -> l.split(": ")[1].split("@")[0]).toList();
    }

    /** One link as {@code ip -o link show} prints it. */
    public String link(String name) {
        return inside.check("ip", "-o", "link", "show", "dev", name);
    }

    @Override
    public void close() {
        new HostCommand("").run("ip", "netns", "del", name);
    }
}
