package org.jvirtd.rpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.rpc.testing.InProcessDaemon;
import org.jvirtd.rpc.testing.Processes;
import org.jvirtd.testing.Prerequisite;

/**
 * A client that speaks the protocol without libvirt's C library: Debian's go-libvirt, built from
 * {@code src/test/go/golibvirt-client.go}, connects to the in-process daemon and makes 14 calls. Its
 * CONNECT_OPEN writes the optional name's discriminant as the word 0x01000000, which libvirtd's decoder takes
 * as true; a decoder that insists on 1 refuses the client's very first call.
 */
class GoLibvirtClientTest {
    private static final Path GOPATH = Path.of("/usr/share/gocode");
    private static final Path GO_LIBVIRT = GOPATH.resolve("src/github.com/digitalocean/go-libvirt");

    @TempDir
    Path work;

    @Test
    void goLibvirtMakesEveryCallOfItsSession() throws Exception {
        Prerequisite.requirePrograms("go");
        Prerequisite.require("go-libvirt (Debian golang-github-digitalocean-go-libvirt-dev)",
            Files.isDirectory(GO_LIBVIRT));
        Path client = work.resolve("golibvirt-client");
        Processes.Result build = Processes.run(List.of("env", "GO111MODULE=off", "GOPATH=" + GOPATH,
            "GOCACHE=" + work.resolve("gocache"), "HOME=" + work, "go", "build", "-o", client.toString(),
            Path.of("src/test/go/golibvirt-client.go").toAbsolutePath().toString()), null, 300);
        assertEquals(0, build.exitCode(), build.toString());
        Path xml = work.resolve("gotest.xml");
        Files.writeString(xml, "<domain type='test'><name>gotest</name><memory>8192</memory>"
            + "<os><type>hvm</type></os></domain>");
        try (InProcessDaemon daemon = new InProcessDaemon(ServerSettings.defaults())) {
            Processes.Result run = Processes.run(List.of(client.toString(), daemon.socket().toString(),
                "test:///default", xml.toString()), null, 60);
            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(List.of("ConnectOpen: ok", "ConnectGetUri: test:///default", "ConnectGetType: TEST",
                "ConnectGetLibVersion: 9000000", "ConnectGetHostname: true", "DomainDefineXML: gotest",
                "DomainLookupByName: true", "DomainGetXMLDesc: true", "DomainGetState: 1",
                "ConnectListAllDomains active: 1", "DomainDestroy: ok", "DomainUndefine: ok", "ConnectClose: ok"),
                run.stdout().lines().toList());
        }
    }
}
