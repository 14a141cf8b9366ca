package org.jvirtd.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.jvirtd.api.nwfilter.NwFilterRef;
import org.jvirtd.api.nwfilter.NwFilters;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * The nwfilter driver is a bundle of its own: it registers NwFilters with libvirt's standard filters, and an update
 * keeps every filter with its UUID; the shell's commands follow the new service. (Bindings, which make ebtables
 * rules, are tested in network namespaces: net/nwfilter's NwFilterDriverTest lays them again on a new driver.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class NwFilterBundleUpdateIT extends JvirtdTestSupport {
    @Test
    public void filtersOutliveAnUpdateOfTheNwfilterBundleAndTheShellFollows() throws Exception {
        NwFilters before = service(NwFilters.class);
        NwFilterRef mine = before.define("<filter name='it-web' chain='ipv4'><rule action='accept' direction='in'>"
            + "<ip protocol='tcp' dstportstart='80'/></rule></filter>", 0);
        NwFilterRef clean = before.lookupByName("clean-traffic");

        Bundle bundle = installed("org.jvirtd.nwfilter");
        updateAndRefresh(bundle, withVersion("jvirtd-nwfilter", "0.1.1"));
        assertEquals(new Version(0, 1, 1), bundle.getVersion());
        assertEquals(Bundle.ACTIVE, bundle.getState());

        NwFilters after = service(NwFilters.class);
        assertNotSame(before, after);
        assertEquals(mine, after.lookupByName("it-web"));
        assertEquals(clean, after.lookupByName("clean-traffic"));
        assertTrue(after.xml(mine, 0), after.xml(mine, 0).contains("<ip protocol='tcp' dstportstart='80'/>"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = service(CommandProcessor.class).createSession(System.in, print, print);
        eventually("the shell's nwfilter commands are back", 15_000, () -> {
            try {
                session.execute("virt:nwfilter-list");
                return true;
            } catch (Exception notYet) {
                return false;
            }
        });
        session.close();
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text, text.contains(" " + mine.uuid() + "   it-web"));
    }
}
