package org.jvirtd.driver.qemu.internal.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jvirtd.api.VirtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Firmware auto-selection with Debian's three OVMF descriptors; each choice and the live XML it gives are what
 * libvirt 9.0 chose and wrote for the same definitions.
 */
class FirmwareSelectionTest {
    private static final FirmwareDescriptor ENROLLED = ovmf("/usr/share/OVMF/OVMF_CODE_4M.ms.fd",
        "/usr/share/OVMF/OVMF_VARS_4M.ms.fd", List.of("pc-q35-*"),
        List.of("acpi-s3", "amd-sev", "enrolled-keys", "requires-smm", "secure-boot", "verbose-dynamic"));
    private static final FirmwareDescriptor SECURE = ovmf("/usr/share/OVMF/OVMF_CODE_4M.secboot.fd",
        "/usr/share/OVMF/OVMF_VARS_4M.fd", List.of("pc-q35-*"),
        List.of("acpi-s3", "amd-sev", "requires-smm", "secure-boot", "verbose-dynamic"));
    private static final FirmwareDescriptor PLAIN = ovmf("/usr/share/OVMF/OVMF_CODE_4M.fd",
        "/usr/share/OVMF/OVMF_VARS_4M.fd", List.of("pc-i440fx-*", "pc-q35-*"), List.of("acpi-s3", "amd-sev"));
    private static final List<FirmwareDescriptor> OVMF = List.of(ENROLLED, SECURE, PLAIN);

    @TempDir
    Path dir;

    private static FirmwareDescriptor ovmf(String code, String vars, List<String> machines, List<String> features) {
        return new FirmwareDescriptor(code + ".json", List.of("uefi"), "flash", code, vars,
            List.of(new FirmwareDescriptor.Target("x86_64", machines)), features);
    }

    private static FirmwareDescriptor choose(String machine, Map<String, Boolean> requested, boolean smmOff) {
        return FirmwareSelection.choose("efi", "x86_64", machine, requested, smmOff, OVMF).orElseThrow();
    }

    @Test
    void theFirstMatchingDescriptorWinsUnlessTheDomainRefusesOrRequiresAFeature() {
        assertEquals(ENROLLED, choose("pc-q35-7.2", Map.of(), false));
        assertEquals(PLAIN, choose("pc-i440fx-7.2", Map.of(), false));
        assertEquals(PLAIN, choose("pc-q35-7.2", Map.of("secure-boot", false), false));
        assertEquals(SECURE, choose("pc-q35-7.2", Map.of("enrolled-keys", false), false));
        assertEquals(SECURE, choose("pc-q35-7.2", Map.of("secure-boot", true, "enrolled-keys", false), false));
        assertEquals(PLAIN, choose("pc-q35-7.2", Map.of(), true));
        assertTrue(FirmwareSelection.choose("efi", "x86_64", "pc-i440fx-7.2", Map.of("secure-boot", true), false, OVMF)
            .isEmpty());
        assertTrue(FirmwareSelection.choose("bios", "x86_64", "pc-q35-7.2", Map.of(), false, OVMF).isEmpty());
    }

    @Test
    void aLoaderWithoutAFileNarrowsTheChoiceAndAGivenNvramFileIsKept() {
        String xml = "<domain type='qemu'><name>vu</name><memory>131072</memory><os firmware='efi'>"
            + "<type arch='x86_64' machine='pc-q35-7.2'>hvm</type><loader secure='no'/><nvram>/v/mine_VARS.fd</nvram>"
            + "<boot dev='hd'/></os></domain>";
        String live = FirmwareSetup.apply(xml, "vu", "x86_64", "pc-q35-7.2", OVMF, Path.of("/n"));
        assertTrue(live.contains("""
                <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
                <nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>/v/mine_VARS.fd</nvram>
                <boot dev='hd'/>
            """), live);
        String secure = FirmwareSetup.apply(xml.replace("secure='no'", "secure='yes'"), "vu", "x86_64", "pc-q35-7.2",
            OVMF, Path.of("/n"));
        assertTrue(secure.contains("<loader readonly='yes' secure='yes' type='pflash'>"), secure);
        assertTrue(secure.contains("<smm state='on'/>"), secure);
    }

    @Test
    void theLiveDefinitionNamesLoaderNvramAndSmmAsLibvirtWritesThem() {
        String xml = "<domain type='qemu'><name>vu</name><memory>131072</memory><os firmware='efi'>"
            + "<type arch='x86_64' machine='pc-q35-7.2'>hvm</type><boot dev='hd'/></os>"
            + "<features><acpi/><apic/></features></domain>";
        String live = FirmwareSetup.apply(xml, "vu", "x86_64", "pc-q35-7.2", OVMF, Path.of("/var/lib/j/nvram"));
        assertTrue(live.contains("""
              <os>
                <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
                <loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.ms.fd</loader>
                <nvram template='/usr/share/OVMF/OVMF_VARS_4M.ms.fd'>/var/lib/j/nvram/vu_VARS.fd</nvram>
                <boot dev='hd'/>
              </os>
              <features>
                <acpi/>
                <apic/>
                <smm state='on'/>
              </features>
            """), live);

        String refused = xml.replace("<boot dev='hd'/>",
            "<firmware><feature enabled='no' name='secure-boot'/></firmware><boot dev='hd'/>");
        String plain = FirmwareSetup.apply(refused, "vu", "x86_64", "pc-q35-7.2", OVMF, Path.of("/n"));
        assertTrue(plain.contains("""
                <firmware>
                  <feature enabled='no' name='secure-boot'/>
                </firmware>
                <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
                <nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>/n/vu_VARS.fd</nvram>
            """), plain);
        assertFalse(plain.contains("smm"), plain);

        assertEquals(xml.replace("firmware='efi'", ""), FirmwareSetup.apply(xml.replace("firmware='efi'", ""), "vu",
            "x86_64", "pc-q35-7.2", OVMF, Path.of("/n")), "without firmware='efi' nothing is chosen");
        VirtException none = assertThrows(VirtException.class,
            () -> FirmwareSetup.apply(xml, "vu", "x86_64", "pc-q35-7.2", List.of(), Path.of("/n")));
        assertEquals("operation failed: Unable to find any firmware to satisfy 'efi'", none.getMessage());
    }

    @Test
    void theNvramIsCopiedFromTheTemplateOnceAndKeptAfterwards() throws Exception {
        Path template = Files.writeString(dir.resolve("VARS.fd"), "template");
        Path nvram = dir.resolve("nvram/vu_VARS.fd");
        FirmwareSetup.createNvram(nvram, template);
        assertEquals("template", Files.readString(nvram));
        Files.writeString(nvram, "variables the guest wrote");
        FirmwareSetup.createNvram(nvram, template);
        assertEquals("variables the guest wrote", Files.readString(nvram));
    }
}
