package org.jvirtd.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.jvirtd.api.connect.HostInterfaces;
import org.jvirtd.api.connect.NodeDevices;
import org.jvirtd.api.iface.InterfaceRef;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * The node device and host interface drivers are bundles of their own: each registers its service, and an
 * update of each, while a shell session stays open, brings a new service with the same view of the host and the
 * shell's commands back on it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HostDeviceBundlesUpdateIT extends JvirtdTestSupport {
    @Test
    public void nodeDevicesAndInterfacesOutliveAnUpdateOfTheirBundlesAndTheShellFollows() throws Exception {
        NodeDevices devicesBefore = service(NodeDevices.class);
        HostInterfaces interfacesBefore = service(HostInterfaces.class);
        List<String> devices = devicesBefore.listAll(0);
        List<InterfaceRef> interfaces = interfacesBefore.listAll(0);
        assertTrue(devices.toString(), devices.contains("computer") && devices.contains("net_lo_00_00_00_00_00_00"));
        assertTrue(interfaces.toString(), interfaces.contains(new InterfaceRef("lo", "00:00:00:00:00:00")));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = service(CommandProcessor.class).createSession(System.in, print, print);
        session.execute("virt:nodedev-info computer");

        for (String[] bundleAndJar : new String[][] {{"org.jvirtd.nodedev", "jvirtd-nodedev"},
            {"org.jvirtd.interface", "jvirtd-interface"}}) {
            Bundle bundle = installed(bundleAndJar[0]);
            updateAndRefresh(bundle, withVersion(bundleAndJar[1], "0.1.1"));
            assertEquals(new Version(0, 1, 1), bundle.getVersion());
            assertEquals(Bundle.ACTIVE, bundle.getState());
        }
        NodeDevices devicesAfter = service(NodeDevices.class);
        HostInterfaces interfacesAfter = service(HostInterfaces.class);
        assertNotSame(devicesBefore, devicesAfter);
        assertNotSame(interfacesBefore, interfacesAfter);
        assertEquals(devices, devicesAfter.listAll(0));
        assertEquals(interfaces, interfacesAfter.listAll(0));

        eventually("the shell's node device and interface commands are back", 15_000, () -> {
            try {
                session.execute("virt:iface-mac lo");
                session.execute("virt:nodedev-dumpxml net_lo_00_00_00_00_00_00");
                return true;
            } catch (Exception notYet) {
                return false;
            }
        });
        session.close();
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text, text.contains("Persistent:     yes\n"));
        assertTrue(text, text.contains("00:00:00:00:00:00\n\n"));
        assertTrue(text, text.contains("<interface>lo</interface>"));
    }
}
