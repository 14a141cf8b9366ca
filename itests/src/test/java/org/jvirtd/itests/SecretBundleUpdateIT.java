package org.jvirtd.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.jvirtd.api.connect.Secrets;
import org.jvirtd.api.secret.SecretRef;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/** The secret driver is a bundle of its own: it registers Secrets, and an update keeps secrets and values. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class SecretBundleUpdateIT extends JvirtdTestSupport {
    private static final String UUID_TEXT = "c8f7a2e4-1d3b-4a5e-9f60-7b8c9d0e1f23";
    private static final byte[] VALUE = "s3cret".getBytes(StandardCharsets.UTF_8);

    @Test
    public void secretsAndValuesOutliveAnUpdateOfTheSecretBundleAndTheShellFollows() throws Exception {
        Secrets before = service(Secrets.class);
        SecretRef ref = before.define("<secret><uuid>" + UUID_TEXT + "</uuid><usage type='ceph'><name>client.admin"
            + "</name></usage></secret>", 0);
        before.setValue(ref, VALUE, 0);

        Bundle bundle = installed("org.jvirtd.secret");
        updateAndRefresh(bundle, withVersion("jvirtd-secret", "0.1.1"));
        assertEquals(new Version(0, 1, 1), bundle.getVersion());
        assertEquals(Bundle.ACTIVE, bundle.getState());

        Secrets after = service(Secrets.class);
        assertNotSame(before, after);
        assertArrayEquals(VALUE, after.value(after.lookupByUuid(UUID.fromString(UUID_TEXT)), 0));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = service(CommandProcessor.class).createSession(System.in, print, print);
        eventually("the shell's secret commands are back", 15_000, () -> {
            try {
                session.execute("virt:secret-get-value " + UUID_TEXT);
                return true;
            } catch (Exception notYet) {
                return false;
            }
        });
        session.execute("virt:secret-list");
        session.close();
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text, text.contains("czNjcmV0\n"));
        assertTrue(text, text.contains(" " + UUID_TEXT + "   ceph client.admin"));
    }
}
