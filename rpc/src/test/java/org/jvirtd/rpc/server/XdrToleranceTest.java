package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.core.internal.LogControl;
import org.jvirtd.platform.conf.ConfFile;
import org.jvirtd.rpc.admin.AdminProgram;
import org.jvirtd.rpc.admin.AdminSettings;
import org.jvirtd.rpc.dispatch.Dispatcher;
import org.jvirtd.rpc.procedures.RemoteProgram;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.RawClient;
import org.jvirtd.rpc.wire.Packet;
import org.jvirtd.rpc.wire.RemoteError;

/**
 * Non-canonical XDR answered as libvirtd 9.0.0 answers it. Each file in {@code xdr-tolerance/} holds the
 * packets {@code src/test/tools/xdr-tolerance-probe.py} sent to libvirtd and the replies it got (or that it
 * sent none, or closed the connection); the same packets go to jvirtd, which must answer the same bytes.
 */
class XdrToleranceTest {
    private static final int ADMIN_PROGRAM = 0x06900690;
    private static final String[] CASES = {
        "args-missing", "array-count-over-max-no-elements", "array-over-max", "header-status-not-ok",
        "header-status-unknown", "header-type-reply", "header-type-unknown", "header-version-unknown",
        "optional-domain-present-7", "optional-present-01000000", "optional-present-2", "optional-present-ffffffff",
        "string-length-at-max-short-packet", "string-length-over-max", "string-missing-padding",
        "string-padding-not-zero", "string-with-nul", "trailing-bytes", "typed-param-bool-2",
        "typed-param-field-unknown", "typed-param-type-unknown"};

    @TempDir
    static Path root;
    private static InProcessDaemon daemon;
    private static RpcServer main;
    private static RpcServer admin;
    private static Path socket;
    private static Path adminSocket;

    @BeforeAll
    static void start() throws Exception {
        ConfFile conf = ConfFile.empty("jvirtd.conf");
        DaemonPaths paths = DaemonPaths.resolve(root.toString(), true, Map.of(), "/");
        daemon = new InProcessDaemon(ServerSettings.defaults());
        List<Listener> listeners = ListenerConfig.listeners(conf, paths, false, "/nonexistent");
        main = new RpcServer(new Dispatcher(RemoteProgram.table(daemon.hypervisors())), ServerSettings.defaults(),
            listeners);
        socket = listeners.get(0).path();
        Map<String, RpcServer> servers = Collections.synchronizedMap(new LinkedHashMap<>());
        servers.put("libvirtd", main);
        Listener adminListener = ListenerConfig.admin(conf, paths);
        admin = new RpcServer(new AdminProgram(servers, new LogControl(), null, null), AdminSettings.from(conf),
            List.of(adminListener));
        servers.put("admin", admin);
        adminSocket = adminListener.path();
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        main.close();
        daemon.close();
    }

    static Stream<String> cases() {
        return Arrays.stream(CASES);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void answersAsLibvirtd(String name) throws Exception {
        List<String[]> lines = read(name);
        byte[] first = HexFormat.of().parseHex(lines.get(0)[1]);
        boolean toAdmin = ByteBuffer.wrap(first, 4, 4).getInt() == ADMIN_PROGRAM;
        try (RawClient client = new RawClient(toAdmin ? adminSocket : socket)) {
            for (int i = 0; i < lines.size(); i++) {
                String[] line = lines.get(i);
                if (line[0].equals("C>S")) {
                    client.sendRaw(HexFormat.of().parseHex(line[1]));
                    continue;
                }
                String step = name + ", reply " + i;
                switch (line[1]) {
                    case "closed" -> assertTrue(client.closedByServer(5_000), step + ": libvirtd closed the connection");
                    case "none" -> assertNull(client.read(500), step + ": libvirtd sent no reply");
                    default -> {
                        Packet reply = client.read(5_000);
                        assertNotNull(reply, step + ": no reply");
                        byte[] expected = HexFormat.of().parseHex(line[1]);
                        byte[] actual = ByteBuffer.allocate(4 + reply.body().length).putInt(4 + reply.body().length)
                            .put(reply.body()).array();
                        assertEquals(describe(expected), describe(actual), step);
                        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(actual), step);
                    }
                }
            }
        }
    }

    private static List<String[]> read(String name) throws IOException {
        List<String[]> lines = new ArrayList<>();
        try (InputStream in = XdrToleranceTest.class.getResourceAsStream("/xdr-tolerance/" + name + ".hex")) {
            assertNotNull(in, "recorded case " + name);
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("C>S ") || line.startsWith("S>C ")) {
                    lines.add(new String[] {line.substring(0, 3), line.substring(4).trim()});
                }
            }
        }
        return lines;
    }

    /** A reply as a person reads it, so a failure shows what differs before the bytes do. */
    private static String describe(byte[] packet) {
        Packet parsed = Packet.parse(Arrays.copyOfRange(packet, 4, packet.length));
        if (parsed.header().status() == org.jvirtd.rpc.wire.MessageStatus.ERROR) {
            RemoteError error = RemoteError.read(parsed.payload());
            return parsed.header() + " error " + error.code() + "/" + error.domain() + " " + error.message();
        }
        return parsed.header() + " payload " + HexFormat.of().formatHex(packet, 28, packet.length);
    }
}
