package org.jvirtd.model.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jvirtd.model.domain.DomainXml;
import org.jvirtd.model.network.NetworkXml;
import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.PoolXml;
import org.jvirtd.model.storage.VolumeXml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.testing.Prerequisite;

/**
 * Checks that documents the formatters write validate against libvirt's RelaxNG schemas (virt-xml-validate).
 */
class SchemaValidationTest {
    private static final Path CONFORMANCE = Path.of(System.getProperty("jvirtd.shared", "../../../shared"), "conformance");

    @TempDir
    Path work;

    @Test
    void formattedNetworksPoolsVolumesAndDomainsValidate() throws Exception {
        Prerequisite.requirePrograms("virt-xml-validate", "xmllint");
        Prerequisite.requireShared(CONFORMANCE);
        int checked = 0;
        for (Path in : sample("networkxml2xml/in")) {
            if (!in.getFileName().toString().matches("hostdev-duplicate.xml|routed-network-no-dns-extra-elements.xml")) {
                checked += validate(NetworkXml.format(NetworkXml.parse(read(in)), 0), "network");
            }
        }
        for (Path in : sample("storagepoolxml2xml/in")) {
            checked += validate(PoolXml.format(PoolXml.parse(read(in)), 0), "storagepool");
        }
        PoolDef pool = PoolXml.parse(read(CONFORMANCE.resolve("storagevolxml2xml/pools/pool-dir.xml")));
        for (String vol : List.of("vol-file.xml", "vol-qcow2.xml", "vol-luks.xml")) {
            checked += validate(VolumeXml.format(VolumeXml.parse(pool,
                read(CONFORMANCE.resolve("storagevolxml2xml/in/" + vol))), 0), "storagevol");
        }
        for (Path in : sample("lxcxml2xml/in")) {
            checked += validate(DomainXml.format(DomainXml.parse(read(in)), -1, DomainXml.SECURE), "domain");
        }
        assertEquals(true, checked > 10);
    }

    private List<Path> sample(String dir) throws Exception {
        try (Stream<Path> files = Files.list(CONFORMANCE.resolve(dir))) {
            return files.sorted().limit(8).toList();
        }
    }

    private static String read(Path path) throws Exception {
        return Files.readString(path, StandardCharsets.UTF_8);
    }

    private int validate(String xml, String type) throws Exception {
        Path file = Files.createTempFile(work, type, ".xml");
        Files.writeString(file, xml, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("virt-xml-validate", file.toString(), type).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), type + " failed validation:\n" + out + "\n" + xml);
        return 1;
    }
}
