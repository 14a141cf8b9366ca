package org.jvirtd.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.driver.qemu.internal.firmware.FirmwareDescriptor;
import org.junit.jupiter.api.Test;

/**
 * The domain capabilities document from probed capabilities and firmware descriptors; the expected fragments
 * are what libvirt 9.0's virsh domcapabilities printed for the same QEMU 7.2 and OVMF descriptors.
 */
class DomainCapabilitiesTest {
    private static final QemuCaps.Machine PC = new QemuCaps.Machine("tcg", "pc-i440fx-7.2", "pc", true, null,
        "pc.ram", 255);
    private static final QemuCaps.Machine Q35 = new QemuCaps.Machine("tcg", "pc-q35-7.2", "q35", false, null,
        "pc.ram", 288);
    private static final QemuCaps CAPS = new QemuCaps("/usr/bin/qemu-system-x86_64", "x86_64", 7_002_000,
        Set.of("iothread", "memory-backend-file", "memory-backend-memfd", "usb-storage", "ich9-ahci", "vnc", "spice",
            "display.sdl", "display.egl-headless", "display.dbus", "VGA", "cirrus-vga", "vmware-svga", "qxl",
            "virtio-gpu-pci", "bochs-display", "ramfb", "virtio-blk-pci-transitional", "vfio-pci", "scsi-generic",
            "virtio-rng-pci", "virtio-rng-pci-transitional", "rng-random", "rng-egd", "rng-builtin",
            "vhost-user-fs-device", "tpm-tis", "tpm-crb", "tpm-passthrough", "tpm-emulator", "usb-redir",
            "chardev-spicevmc", "vmcoreinfo", "vmgenid", "blockdev", "incremental-backup"),
        List.of(PC, Q35),
        List.of(new QemuCaps.CpuModel("tcg", "qemu64", "qemu64-x86_64-cpu", true),
            new QemuCaps.CpuModel("tcg", "phenom", "phenom-x86_64-cpu", false),
            new QemuCaps.CpuModel("tcg", "Haswell-v4", "Haswell-v4-x86_64-cpu", false),
            new QemuCaps.CpuModel("tcg", "max", "max-x86_64-cpu", true),
            new QemuCaps.CpuModel("kvm", "qemu64", "qemu64-x86_64-cpu", true)));
    private static final List<FirmwareDescriptor> OVMF = List.of(
        ovmf("/usr/share/OVMF/OVMF_CODE_4M.ms.fd", List.of("pc-q35-*"), List.of("requires-smm", "secure-boot")),
        ovmf("/usr/share/OVMF/OVMF_CODE_4M.secboot.fd", List.of("pc-q35-*"), List.of("requires-smm", "secure-boot")),
        ovmf("/usr/share/OVMF/OVMF_CODE_4M.fd", List.of("pc-i440fx-*", "pc-q35-*"), List.of("acpi-s3")));

    private static FirmwareDescriptor ovmf(String code, List<String> machines, List<String> features) {
        return new FirmwareDescriptor(code + ".json", List.of("uefi"), "flash", code, "/usr/share/OVMF/OVMF_VARS_4M.fd",
            List.of(new FirmwareDescriptor.Target("x86_64", machines)), features);
    }

    private static String xml(String virtType, QemuCaps.Machine machine, List<FirmwareDescriptor> firmware,
                              boolean swtpm) {
        return DomainCapabilities.xml(CAPS, "x86_64", virtType, machine,
            new DomainCapabilities.Host(firmware, swtpm, false));
    }

    @Test
    void theHeadNamesEmulatorDomainTypeCanonicalMachineAndItsCpuLimit() {
        assertTrue(xml("qemu", PC, OVMF, false).startsWith("""
            <domainCapabilities>
              <path>/usr/bin/qemu-system-x86_64</path>
              <domain>qemu</domain>
              <machine>pc-i440fx-7.2</machine>
              <arch>x86_64</arch>
              <vcpu max='255'/>
              <iothreads supported='yes'/>
              <os supported='yes'>
                <enum name='firmware'>
                  <value>efi</value>
                </enum>
                <loader supported='yes'>
                  <value>/usr/share/OVMF/OVMF_CODE_4M.fd</value>
                  <enum name='type'>
                    <value>rom</value>
                    <value>pflash</value>
                  </enum>
                  <enum name='readonly'>
                    <value>yes</value>
                    <value>no</value>
                  </enum>
                  <enum name='secure'>
                    <value>no</value>
                  </enum>
                </loader>
              </os>
            """));
    }

    @Test
    void q35ListsEveryDescriptorForItInFileOrderAndOffersSecureBoot() {
        String q35 = xml("qemu", Q35, OVMF, false);
        assertTrue(q35.contains("""
                  <value>/usr/share/OVMF/OVMF_CODE_4M.ms.fd</value>
                  <value>/usr/share/OVMF/OVMF_CODE_4M.secboot.fd</value>
                  <value>/usr/share/OVMF/OVMF_CODE_4M.fd</value>
            """), q35);
        assertTrue(q35.contains("""
                  <enum name='secure'>
                    <value>yes</value>
                    <value>no</value>
                  </enum>
            """), q35);
        assertTrue(q35.contains("<vcpu max='288'/>"), q35);
        assertFalse(q35.contains("<value>ide</value>"), "q35 has no IDE bus");
        assertTrue(xml("qemu", PC, OVMF, false).contains("<value>ide</value>"));
    }

    @Test
    void withoutDescriptorsThereIsNoFirmwareToChoose() {
        String none = xml("qemu", PC, List.of(), false);
        assertTrue(none.contains("""
                <enum name='firmware'/>
                <loader supported='yes'>
                  <enum name='type'>
            """), none);
    }

    @Test
    void cpuModelsAreTheProbedOnesWithoutVersionsAndAliasesAndTcgHasNoHostPassthrough() {
        String tcg = xml("qemu", PC, OVMF, false);
        assertTrue(tcg.contains("""
                <mode name='host-passthrough' supported='no'/>
                <mode name='maximum' supported='yes'>
                  <enum name='maximumMigratable'>
                    <value>on</value>
                    <value>off</value>
                  </enum>
                </mode>
            """), tcg);
        assertTrue(tcg.contains("""
                <mode name='custom' supported='yes'>
                  <model usable='yes'>qemu64</model>
                  <model usable='no'>phenom</model>
                </mode>
            """), tcg);
        String kvm = xml("kvm", new QemuCaps.Machine("kvm", "pc-i440fx-7.2", "pc", true, null, "pc.ram", 255), OVMF,
            false);
        assertTrue(kvm.contains("<mode name='host-passthrough' supported='yes'>"), kvm);
        assertTrue(kvm.contains("<model usable='unknown'>qemu64</model>"), kvm);
    }

    @Test
    void deviceEnumsFollowTheProbedTypesAndTheTpmEmulatorNeedsSwtpm() {
        String xml = xml("qemu", PC, OVMF, false);
        assertTrue(xml.contains("""
                <graphics supported='yes'>
                  <enum name='type'>
                    <value>sdl</value>
                    <value>vnc</value>
                    <value>spice</value>
                    <value>egl-headless</value>
                    <value>dbus</value>
                  </enum>
                </graphics>
            """), xml);
        assertTrue(xml.contains("""
                  <enum name='backendModel'>
                    <value>passthrough</value>
                  </enum>
                </tpm>
            """), xml);
        assertTrue(xml("qemu", PC, OVMF, true).contains("""
                    <value>passthrough</value>
                    <value>emulator</value>
            """));
        assertTrue(xml.contains("<enum name='pciBackend'/>"), xml);
        assertTrue(xml.endsWith("""
                <hyperv supported='yes'>
                  <enum name='features'>
                    <value>spinlocks</value>
                    <value>vendor_id</value>
                  </enum>
                </hyperv>
              </features>
            </domainCapabilities>
            """), xml);
    }
}
