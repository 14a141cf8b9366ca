package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainInterface;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.core.internal.CoreHarness;
import org.jvirtd.testing.Prerequisite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny guest with Debian's qemu-guest-agent running in it under TCG: every call libvirt answers through
 * the agent, compared with what the agent in the guest knows (its host name, OS release file, clock, vCPUs,
 * loopback interface), and libvirt's refusals without an agent channel.
 */
class QemuAgentTest {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private static Path guest;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path root;
    private CoreHarness core;

    @BeforeAll
    static void buildGuest() throws Exception {
        Prerequisite.requirePrograms("qemu-system-x86_64", "cpio");
        Prerequisite.require("/usr/sbin/qemu-ga (Debian package qemu-guest-agent)",
            java.nio.file.Files.isExecutable(Path.of("/usr/sbin/qemu-ga")));
        guest = TinyGuest.buildWithAgent();
    }

    @AfterEach
    void stopCore() {
        if (core == null) {
            return;
        }
        try {
            Connection conn = core.open();
            for (DomainRef dom : conn.listAllDomains(0)) {
                if (conn.isActive(dom)) {
                    conn.destroy(dom, 0);
                }
            }
        } finally {
            core.close();
        }
    }

    @Test
    void theAgentAnswersForTheGuestAndShutsItDown() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        List<org.jvirtd.api.event.AgentLifecycleEvent> agentEvents = new java.util.concurrent.CopyOnWriteArrayList<>();
        AutoCloseable subscription = conn.subscribe(new org.jvirtd.api.event.DomainEventListener() {
            @Override
            public void onDomainEvent(org.jvirtd.api.event.DomainEvent event) {
            }

            @Override
            public void onAgentLifecycle(org.jvirtd.api.event.AgentLifecycleEvent event) {
                agentEvents.add(event);
            }
        });
        Path console = root.resolve("agent.log");
        DomainRef dom = conn.define(TinyGuest.domainXml("jq-agent", guest, console).replace(
            "<memballoon model='none'/>", "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/>"
                + "</channel><memballoon model='none'/>"), 0);
        conn.create(dom, 0);
        assertTrue(conn.xml(dom, 0).contains("<source mode='bind' path='"), "the live XML names the agent socket");
        TinyGuest.await(BOOT, "qemu-ga in the guest", () -> TinyGuest.count(console, "GUEST-AGENT-START") >= 1);
        TinyGuest.await(Duration.ofSeconds(30), "the agent to answer", () -> answers(conn, dom));

        assertEquals("fixture-guest", conn.hostname(dom, 0));
        TinyGuest.await(Duration.ofSeconds(10), "the agent lifecycle event", () -> !agentEvents.isEmpty());
        assertEquals("event 'agent-lifecycle' for domain 'jq-agent': state: 'connected' reason: 'channel event'",
            agentEvents.get(0).describe());
        subscription.close();
        long guestSeconds = conn.guestTime(dom, 0)[0];
        assertTrue(Math.abs(guestSeconds - Instant.now().getEpochSecond()) < 120,
            "the guest clock (from the host's RTC) is near the host's: " + guestSeconds);
        Map<String, Object> info = conn.guestInfo(dom, 0, 0).stream()
            .collect(Collectors.toMap(TypedParameter::field, TypedParameter::value));
        assertEquals("jvirtd-fixture", info.get("os.id"), "from the layer's /etc/os-release");
        assertEquals("fixture-guest", info.get("hostname"));
        assertEquals("UTC", info.get("timezone.name"));
        assertEquals("lo", info.get("if.0.name"));
        assertEquals(0, conn.fsFreeze(dom, List.of(), 0), "the initramfs has no freezable file system");
        assertEquals(0, conn.fsThaw(dom, List.of(), 0));
        VirtException mountpoints = assertThrows(VirtException.class, () -> conn.fsThaw(dom, List.of("/"), 0));
        assertEquals("argument unsupported: specifying mountpoints is not supported", mountpoints.getMessage());
        assertEquals(List.of(), conn.fsInfo(dom, 0));
        assertEquals("0", conn.guestVcpus(dom, 0).get(1).value(), "vCPU 0 is online");
        assertEquals(1, conn.vcpus(dom, DomainFlags.VCPU_GUEST));
        List<DomainInterface> ifaces = conn.interfaceAddresses(dom, DomainInterface.SOURCE_AGENT, 0);
        assertEquals("127.0.0.1", ifaces.get(0).addresses().get(0).address());
        assertEquals("{\"return\":{}}", conn.agentCommand(dom, "{\"execute\":\"guest-ping\"}", -2, 0));
        VirtException password = assertThrows(VirtException.class,
            () -> conn.setUserPassword(dom, "root", "secret", 0));
        assertEquals("internal error: unable to execute QEMU agent command 'guest-set-user-password': "
            + "cannot find 'passwd' program in PATH", password.getMessage(), "the agent's own error, as libvirt words it");

        authorizedKeysGoThroughTheAgent(conn, dom);

        conn.pmSuspend(dom, 0, 0, 0);   // VIR_NODE_SUSPEND_TARGET_MEM: the agent's guest-suspend-ram
        TinyGuest.await(BOOT, "the guest to suspend itself to memory",
            () -> conn.status(dom).state() == DomainState.PMSUSPENDED);
        conn.pmWakeup(dom, 0);
        TinyGuest.await(BOOT, "the guest to wake up", () -> conn.status(dom).state() == DomainState.RUNNING);
        assertEquals(org.jvirtd.api.domain.StateReason.RUNNING_WAKEUP, conn.status(dom).reason());
        TinyGuest.await(Duration.ofSeconds(30), "the agent to answer after the wakeup", () -> answers(conn, dom));

        conn.shutdown(dom, 2);   // VIR_DOMAIN_SHUTDOWN_GUEST_AGENT
        TinyGuest.await(BOOT, "the guest to power off through its agent",
            () -> conn.status(dom).state() == DomainState.SHUTOFF);
    }

    /**
     * virDomainAuthorizedSSHKeysGet/Set with libvirt's flag mapping (0 replaces, 1 appends, 2 removes), checked
     * against the file qemu-ga writes in the guest (read back with guest-file-open/read).
     */
    private static void authorizedKeysGoThroughTheAgent(Connection conn, DomainRef dom) {
        VirtException none = assertThrows(VirtException.class, () -> conn.authorizedSshKeys(dom, "root", 0));
        assertTrue(none.getMessage().startsWith("internal error: unable to execute QEMU agent command "
            + "'guest-ssh-get-authorized-keys': failed to read '/root/.ssh/authorized_keys'"), none.getMessage());
        String a = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA1 a@host";
        String b = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB2 b@host";
        String c = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC3 c@host";
        conn.setAuthorizedSshKeys(dom, "root", List.of(a, b), 0);
        assertEquals(List.of(a, b), sorted(conn.authorizedSshKeys(dom, "root", 0)), "in qemu-ga's order");
        conn.setAuthorizedSshKeys(dom, "root", List.of(c), 1);
        assertEquals(List.of(a, b, c), sorted(conn.authorizedSshKeys(dom, "root", 0)));
        conn.setAuthorizedSshKeys(dom, "root", List.of(b), 2);
        List<String> left = conn.authorizedSshKeys(dom, "root", 0);
        assertEquals(List.of(a, c), sorted(left));
        assertEquals(List.of(a, c), sorted(guestFile(conn, dom, "/root/.ssh/authorized_keys").lines().toList()),
            "the file in the guest");
        conn.setAuthorizedSshKeys(dom, "root", List.of(b), 0);
        assertEquals(List.of(b), conn.authorizedSshKeys(dom, "root", 0), "without APPEND the file is replaced");
        VirtException nobody = assertThrows(VirtException.class, () -> conn.authorizedSshKeys(dom, "no-such-user", 0));
        assertTrue(nobody.getMessage().contains("'guest-ssh-get-authorized-keys'"), nobody.getMessage());
        VirtException both = assertThrows(VirtException.class,
            () -> conn.setAuthorizedSshKeys(dom, "root", List.of(a), 3));
        assertTrue(both.getMessage().contains("mutually exclusive"), both.getMessage());
    }

    private static List<String> sorted(List<String> keys) {
        return keys.stream().sorted().toList();
    }

    /** A guest file's text through the agent's guest-file-open/read/close. */
    private static String guestFile(Connection conn, DomainRef dom, String path) {
        String opened = conn.agentCommand(dom, "{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\""
            + path + "\"}}", -2, 0);
        String handle = opened.replaceAll("\\D", "");
        String read = conn.agentCommand(dom, "{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":"
            + handle + ",\"count\":4096}}", -2, 0);
        conn.agentCommand(dom, "{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":" + handle + "}}",
            -2, 0);
        java.util.regex.Matcher content = java.util.regex.Pattern.compile("\"buf-b64\":\"([^\"]*)\"").matcher(read);
        assertTrue(content.find(), read);
        return new String(java.util.Base64.getDecoder().decode(content.group(1)), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void withoutAnAgentChannelTheCallsAreRefusedAsLibvirtRefusesThem() throws Exception {
        core = new CoreHarness(root);
        core.bind(TinyGuest.driver(root));
        Connection conn = core.open();
        DomainRef dom = conn.define(TinyGuest.domainXml("jq-no-agent", TinyGuest.build(), root.resolve("c.log")), 0);
        VirtException notRunning = assertThrows(VirtException.class, () -> conn.hostname(dom, 0));
        assertEquals(ErrorCode.OPERATION_INVALID, notRunning.code());
        conn.create(dom, 0);
        VirtException none = assertThrows(VirtException.class, () -> conn.guestTime(dom, 0));
        assertEquals("argument unsupported: QEMU guest agent is not configured", none.getMessage());
        VirtException lease = assertThrows(VirtException.class, () -> conn.hostname(dom, 1));
        assertEquals("no hostname found: no hostname found for domain jq-no-agent", lease.getMessage());
    }

    private static boolean answers(Connection conn, DomainRef dom) {
        try {
            conn.hostname(dom, 0);
            return true;
        } catch (VirtException e) {
            return false;
        }
    }
}
