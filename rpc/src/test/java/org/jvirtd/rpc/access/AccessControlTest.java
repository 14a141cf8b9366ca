package org.jvirtd.rpc.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.platform.net.UnixPeer;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.server.ServerSettings;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.RawClient;
import org.jvirtd.rpc.wire.Header;
import org.jvirtd.rpc.wire.MessageStatus;
import org.jvirtd.rpc.wire.MessageType;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.wire.RemoteError;
import org.jvirtd.rpc.xdr.XdrReader;
import org.junit.jupiter.api.Test;

/**
 * The access manager in the real dispatcher, over the test driver, with an access driver that decides by the
 * domain's name the way a polkit rules file would: ok-* everything, ro-* getattr and read, others only write and
 * save (so the client can define them, and then not see them).
 */
class AccessControlTest {
    /** The decisions asked for, in order. */
    private final List<String> asked = new ArrayList<>();

    private final AccessDriver byName = new AccessDriver() {
        @Override
        public String name() {
            return "by-name";
        }

        @Override
        public synchronized boolean permits(UnixPeer subject, Permission permission, Map<String, String> attributes) {
            asked.add(permission + " " + attributes);
            if (permission.onConnect()) {
                return true;
            }
            String name = attributes.getOrDefault("domain_name", "");
            return name.startsWith("ok-")
                || name.startsWith("ro-") && List.of("getattr", "read").contains(permission.name())
                || List.of("write", "save").contains(permission.name());
        }
    };

    /** libvirt's open asks connect:getattr; a client refused it gets libvirt's error and no connection. */
    @Test
    void anOpenTheAccessDriverRefusesLeavesNoConnection() throws Exception {
        AccessDriver noConnect = new AccessDriver() {
            @Override
            public String name() {
                return "no-connect";
            }

            @Override
            public boolean permits(UnixPeer subject, Permission permission, Map<String, String> attributes) {
                asked.add(permission + " " + attributes);
                return false;
            }
        };
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults(), List.of(noConnect));
             RawClient client = new RawClient(daemon.socket())) {
            client.roundTrip(66, null);
            RemoteError denied = RawClient.error(client.roundTrip(RemoteProcedure.CONNECT_OPEN.number(), out -> {
                out.writeBool(true);
                out.writeString("test:///default");
                out.writeInt(0);
            }));
            assertEquals(88, denied.code(), "VIR_ERR_ACCESS_DENIED");
            assertEquals("access denied: 'TEST' denied access", denied.message());
            assertEquals(List.of("connect:getattr {connect_driver=TEST}"), asked);
            RemoteError notOpen = RawClient.error(client.roundTrip(RemoteProcedure.CONNECT_GET_TYPE.number(),
                out -> { }));
            assertTrue(notOpen.message().contains("connection not open"), notOpen.message());
        }
    }

    @Test
    void listsShowOnlyTheDomainsTheClientMayGetattr() throws Exception {
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults(), List.of(byName));
             RawClient client = new RawClient(daemon.socket())) {
            client.open();
            defineThree(client);
            assertEquals(List.of("ok-a", "ro-b"), listAll(client, 1).stream().map(DomainRef::name).sorted().toList());
            Packet countOnly = client.roundTrip(RemoteProcedure.CONNECT_LIST_ALL_DOMAINS.number(),
                out -> out.writeInt(0).writeInt(0));
            XdrReader in = countOnly.payload();
            assertEquals(0, in.readInt());
            assertEquals(2, in.readInt(), "the count alone counts the visible ones");
            Packet number = client.roundTrip(RemoteProcedure.CONNECT_NUM_OF_DEFINED_DOMAINS.number(), out -> { });
            assertEquals(2, number.payload().readInt());
            Packet names = client.roundTrip(RemoteProcedure.CONNECT_LIST_DEFINED_DOMAINS.number(),
                out -> out.writeInt(2));
            XdrReader listed = names.payload();
            assertEquals(2, listed.readInt(), "maxnames counts visible domains, not all");
            List<String> both = List.of(Types.readString(listed), Types.readString(listed));
            assertEquals(List.of("ok-a", "ro-b"), both.stream().sorted().toList());
        }
    }

    @Test
    void startOfAReadOnlyDomainIsDeniedWithLibvirtsErrorAndAttributes() throws Exception {
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults(), List.of(byName));
             RawClient client = new RawClient(daemon.socket())) {
            client.open();
            defineThree(client);
            DomainRef readOnly = lookup(client, "ro-b");
            asked.clear();
            RemoteError denied = RawClient.error(client.roundTrip(RemoteProcedure.DOMAIN_CREATE.number(),
                out -> Types.writeDomain(out, readOnly)));
            assertEquals(88, denied.code(), "VIR_ERR_ACCESS_DENIED");
            assertEquals(55, denied.domain(), "VIR_FROM_ACCESS");
            assertEquals("access denied: 'TEST' denied access", denied.message());
            assertEquals(List.of("domain:start {connect_driver=TEST, domain_name=ro-b, domain_uuid="
                + readOnly.uuid() + "}"), asked);
            DomainRef permitted = lookup(client, "ok-a");
            Packet started = client.roundTrip(RemoteProcedure.DOMAIN_CREATE.number(),
                out -> Types.writeDomain(out, permitted));
            assertEquals(MessageStatus.OK, started.header().status());
        }
    }

    @Test
    void aNameThatDoesNotGoWithItsUuidGainsNothing() throws Exception {
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults(), List.of(byName));
             RawClient client = new RawClient(daemon.socket())) {
            client.open();
            defineThree(client);
            UUID readOnly = lookup(client, "ro-b").uuid();
            RemoteError denied = RawClient.error(client.roundTrip(RemoteProcedure.DOMAIN_CREATE.number(),
                out -> Types.writeDomain(out, new DomainRef("ok-a", readOnly, -1))));
            assertEquals(88, denied.code(), denied.message());
        }
    }

    @Test
    void aHiddenDomainCannotBeLookedUpAndSecureXmlNeedsReadSecure() throws Exception {
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults(), List.of(byName));
             RawClient client = new RawClient(daemon.socket())) {
            client.open();
            defineThree(client);
            RemoteError hidden = RawClient.error(client.roundTrip(RemoteProcedure.DOMAIN_LOOKUP_BY_NAME.number(),
                out -> out.writeString("hid-c")));
            assertEquals("access denied: 'TEST' denied access", hidden.message());
            DomainRef readOnly = lookup(client, "ro-b");
            Packet xml = client.roundTrip(RemoteProcedure.DOMAIN_GET_XML_DESC.number(), out -> {
                Types.writeDomain(out, readOnly);
                out.writeInt(0);
            });
            assertTrue(Types.readString(xml.payload()).contains("<name>ro-b</name>"));
            RemoteError secure = RawClient.error(client.roundTrip(RemoteProcedure.DOMAIN_GET_XML_DESC.number(),
                out -> {
                    Types.writeDomain(out, readOnly);
                    out.writeInt(1);
                }));
            assertEquals(88, secure.code(), "VIR_DOMAIN_XML_SECURE needs domain:read_secure");
        }
    }

    @Test
    void lxcEnterNamespaceNeedsOpenNamespaceOnItsDomain() throws Exception {
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults(), List.of(byName));
             RawClient client = new RawClient(daemon.socket())) {
            client.open();
            defineThree(client);
            assertEquals(88, lxcOpenNamespace(client, lookup(client, "ro-b")).code());
            RemoteError permitted = lxcOpenNamespace(client, lookup(client, "ok-a"));
            assertEquals(3, permitted.code(), "past the check, a test:/// connection has no such API: "
                + permitted.message());
        }
    }

    private static RemoteError lxcOpenNamespace(RawClient client, DomainRef domain) throws Exception {
        client.send(Packet.encode(new Header(Protocol.LXC_PROGRAM, Protocol.VERSION, 1, MessageType.CALL, 1000,
            MessageStatus.OK), out -> {
                Types.writeDomain(out, domain);
                out.writeInt(0);
            }));
        for (Packet packet = client.read(10_000); packet != null; packet = client.read(10_000)) {
            if (packet.header().serial() == 1000) {
                return RawClient.error(packet);
            }
        }
        throw new AssertionError("no reply to LXC_PROC_DOMAIN_OPEN_NAMESPACE");
    }

    @Test
    void withoutAnAccessDriverEveryoneSeesEverything() throws Exception {
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults(), List.of());
             RawClient client = new RawClient(daemon.socket())) {
            client.open();
            defineThree(client);
            assertEquals(3, listAll(client, 1).size());
            assertEquals(List.of(), asked);
        }
    }

    private static void defineThree(RawClient client) throws Exception {
        for (String name : List.of("ok-a", "ro-b", "hid-c")) {
            String xml = "<domain type='test'><name>" + name + "</name><memory>65536</memory>"
                + "<os><type>hvm</type></os></domain>";
            Packet defined = client.roundTrip(RemoteProcedure.DOMAIN_DEFINE_XML.number(), out -> out.writeString(xml));
            assertEquals(MessageStatus.OK, defined.header().status(), name);
        }
    }

    private static List<DomainRef> listAll(RawClient client, int needResults) throws Exception {
        XdrReader in = client.roundTrip(RemoteProcedure.CONNECT_LIST_ALL_DOMAINS.number(),
            out -> out.writeInt(needResults).writeInt(0)).payload();
        int count = in.readInt();
        List<DomainRef> domains = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            domains.add(Types.readDomain(in));
        }
        assertEquals(count, in.readInt());
        return domains;
    }

    private static DomainRef lookup(RawClient client, String name) throws Exception {
        Packet found = client.roundTrip(RemoteProcedure.DOMAIN_LOOKUP_BY_NAME.number(), out -> out.writeString(name));
        assertEquals(MessageStatus.OK, found.header().status(), name);
        return Types.readDomain(found.payload());
    }
}
