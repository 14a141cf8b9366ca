package org.jvirtd.net.itest;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.jvirtd.net.host.HostCommand;

/**
 * A network namespace a test creates for itself and deletes afterwards, so bridges, rules and dnsmasq
 * never touch the host's own interfaces or tables.
 */
final class Namespace implements AutoCloseable {
    final String name = "jvt-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    final HostCommand inside = new HostCommand(name);

    /** True when this process is root and {@code ip netns} works. */
    static boolean available() {
        try {
            return "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).strip())
                && new ProcessBuilder("ip", "netns", "list").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    Namespace() {
        new HostCommand("").check("ip", "netns", "add", name);
        inside.check("ip", "link", "set", "lo", "up");
    }

    /** The names of the links in the namespace. */
    List<String> links() {
        return inside.check("ip", "-o", "link", "show").lines().map(l -> l.split(": ")[1].split("@")[0]).toList();
    }

    String nftTables() {
        return inside.check("nft", "list", "tables");
    }

    @Override
    public void close() {
        new HostCommand("").run("ip", "netns", "del", name);
    }
}
