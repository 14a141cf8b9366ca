package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.nodedev.NodeDeviceDriver;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;

/**
 * Node device events (virConnectNodeDeviceEventRegisterAny, which libvirt-dbus registers for cockpit-machines
 * on every connection): virsh nodedev-event sees a network device appear in and go from a sysfs tree of the
 * test's own as Created and Deleted; a callback for one device hears only that one; an unknown device is
 * refused.
 */
class VirshNodeDeviceEventTest {
    @TempDir
    Path sys;

    @Test
    void virshSeesDevicesComeAndGo() throws Exception {
        Files.createDirectories(sys.resolve("class/net"));
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults())) {
            daemon.useNodeDeviceDriver(new NodeDeviceDriver(sys, Path.of("/usr/share/misc/pci.ids"),
                name -> List.of(), 100));
            Watcher all = watch(daemon);
            // virsh prints nothing once it has registered: devices appear until it tells about one
            String probe = null;
            for (int i = 1; probe == null || !all.printed().toString().contains(probe + ": Created"); i++) {
                assertTrue(i < 60 && all.process().isAlive(), "virsh nodedev-event saw no device: " + all.printed());
                probe = addDevice("probe" + i, "02:00:00:00:00:" + (10 + i));
                Thread.sleep(300);
            }
            Watcher one = watch(daemon, "--device", probe);
            Thread.sleep(1000);
            for (int i = 0; !one.printed().toString().contains(probe + ": Created"); i++) {
                assertTrue(i < 60, "virsh nodedev-event --device saw nothing: " + one.printed());
                if (!one.process().isAlive()) {
                    // it looked the device up while it was away: once more
                    one = watch(daemon, "--device", probe);
                    Thread.sleep(1000);
                }
                removeDevice(probe);
                Thread.sleep(300);
                addDevice(probe.split("_")[1], probe.substring(probe.indexOf('_', 4) + 1).replace('_', ':'));
                Thread.sleep(300);
            }
            String dummy = addDevice("dummy7", "52:54:00:12:34:56");
            assertEquals("net_dummy7_52_54_00_12_34_56", dummy);
            Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> all.printed().toString().contains(dummy + ": Created"));
            removeDevice(dummy);
            String out = all.output();
            assertTrue(out.contains("event 'lifecycle' for node device " + dummy + ": Created\n"), out);
            assertTrue(out.contains("event 'lifecycle' for node device " + dummy + ": Deleted\n"), out);
            String mine = one.output();
            String other = probe;
            List<String> heard = mine.lines().filter(line -> line.contains(" for node device ")).toList();
            assertTrue(heard.contains("event 'lifecycle' for node device " + other + ": Created")
                && heard.stream().allMatch(line -> line.startsWith("event 'lifecycle' for node device " + other + ":")),
                "the callback for one device hears only that one: " + mine);

            Processes.Result unknown = Processes.run(List.of("virsh", "-c", daemon.uri(), "nodedev-event",
                "--event", "lifecycle", "--device", "net_nothere", "--timeout", "1"), null, 30);
            assertTrue(unknown.stderr().contains("no node device with matching name 'net_nothere'"),
                unknown.toString());
        }
    }

    /** A network device in the sysfs tree; its libvirt name. */
    private String addDevice(String name, String mac) throws IOException {
        Path device = sys.resolve("devices/virtual/net").resolve(name);
        Files.createDirectories(device);
        Files.writeString(device.resolve("address"), mac + "\n");
        Files.createSymbolicLink(device.resolve("subsystem"), sys.resolve("class/net"));
        Files.writeString(device.resolve("uevent"), "INTERFACE=" + name + "\nIFINDEX=7\n");
        return "net_" + name + "_" + mac.replace(':', '_');
    }

    /** Removes the device of this libvirt name (net_NAME_MAC). */
    private void removeDevice(String device) throws IOException {
        try (Stream<Path> files = Files.walk(sys.resolve("devices/virtual/net").resolve(device.split("_")[1]))) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** A virsh nodedev-event process and what it printed so far, read as it prints. */
    private record Watcher(Process process, StringBuffer printed, Thread reader) {
        /** Everything it printed, once its --timeout ended it and its output was read to the end. */
        String output() throws InterruptedException {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "virsh nodedev-event ended");
            reader.join(10_000);
            return printed.toString();
        }
    }

    private static Watcher watch(InProcessDaemon daemon, String... filter) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("virsh", "-c", daemon.uri(), "nodedev-event",
            "--event", "lifecycle", "--loop", "--timeout", "25"));
        command.addAll(List.of(filter));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LC_ALL", "C");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        StringBuffer printed = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (var in = process.getInputStream()) {
                byte[] buffer = new byte[4096];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    printed.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return new Watcher(process, printed, reader);
    }
}
