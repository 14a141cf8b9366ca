package org.jvirtd.driver.qemu.internal.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Descriptor files as QEMU's firmware.json specifies them: by file name, earlier folders hiding later ones. */
class FirmwareDescriptorsTest {
    @TempDir
    Path dir;

    static String descriptor(String code, String machines, String features) {
        return "{\"description\":\"x\",\"interface-types\":[\"uefi\"],\"mapping\":{\"device\":\"flash\","
            + "\"executable\":{\"filename\":\"" + code + "\",\"format\":\"raw\"},\"nvram-template\":{\"filename\":"
            + "\"/v.fd\",\"format\":\"raw\"}},\"targets\":[{\"architecture\":\"x86_64\",\"machines\":[" + machines
            + "]}],\"features\":[" + features + "],\"tags\":[]}";
    }

    @Test
    void filesAreReadByNameAndAnEarlierFolderHidesALaterOne() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path usr = Files.createDirectories(dir.resolve("usr"));
        Files.writeString(usr.resolve("60-plain.json"), descriptor("/plain.fd", "\"pc-i440fx-*\",\"pc-q35-*\"", ""));
        Files.writeString(usr.resolve("50-secure.json"), descriptor("/secure.fd", "\"pc-q35-*\"",
            "\"requires-smm\",\"secure-boot\""));
        Files.writeString(usr.resolve("40-hidden.json"), descriptor("/hidden.fd", "\"pc-q35-*\"", ""));
        Files.writeString(etc.resolve("40-hidden.json"), "");
        Files.writeString(usr.resolve("30-broken.json"), "{not json");
        Files.writeString(usr.resolve("README"), "not a descriptor");

        List<FirmwareDescriptor> found = FirmwareDescriptors.read(List.of(etc, usr, dir.resolve("missing")));
        assertEquals(List.of("/secure.fd", "/plain.fd"), found.stream().map(FirmwareDescriptor::executable).toList());
        FirmwareDescriptor secure = found.get(0);
        assertTrue(secure.has("secure-boot"));
        assertEquals("flash", secure.device());
        assertEquals("/v.fd", secure.nvramTemplate());
        assertTrue(secure.supports("x86_64", "pc-q35-7.2"));
        assertFalse(secure.supports("x86_64", "pc-i440fx-7.2"));
        assertFalse(secure.supports("i686", "pc-q35-7.2"));
        assertTrue(found.get(1).supports("x86_64", "pc-i440fx-7.2"));
    }
}
