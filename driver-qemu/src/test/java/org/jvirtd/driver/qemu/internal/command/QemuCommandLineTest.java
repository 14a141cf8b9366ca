package org.jvirtd.driver.qemu.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.driver.qemu.internal.guest.GuestXml;
import org.jvirtd.model.domain.DomainXml;
import org.jvirtd.platform.conf.ConfFile;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {
    private static final QemuCaps CAPS = new QemuCaps("/usr/bin/qemu-system-x86_64", "x86_64", 7_002_000,
        Set.of("device.json+hotplug", "netdev.json", "object.qapified", "seccomp-sandbox", "piix3-usb-uhci", "kvm"),
        List.of(new QemuCaps.Machine("kvm", "pc-i440fx-7.2", "pc", true, null, "pc.ram", 255),
            new QemuCaps.Machine("tcg", "pc-i440fx-7.2", "pc", true, null, "pc.ram", 255),
            new QemuCaps.Machine("tcg", "pc-q35-7.2", "q35", false, null, "pc.ram", 288),
            new QemuCaps.Machine("tcg", "pc-i440fx-5.0", null, false, null, "pc.ram", 255, true)),
        List.of());

    private static List<String> argv(String devices, String type) {
        return argv(devices, type, "pc");
    }

    /** The command line of a definition as the daemon stores it (parsed and formatted by the model). */
    private static List<String> argv(String devices, String type, String machine) {
        String xml = "<domain type='" + type + "'><name>vm1</name><memory unit='MiB'>64</memory>"
            + "<os><type arch='x86_64' machine='" + machine + "'>hvm</type></os><devices>" + devices
            + "</devices></domain>";
        String stored = DomainXml.format(DomainXml.parse(xml), -1, DomainXml.INACTIVE | DomainXml.SECURE);
        QemuConf conf = QemuConf.read(ConfFile.parse("qemu.conf", "vnc_listen = \"0.0.0.0\"\n"), Path.of("/run/q"),
            Map.of(), List.of());
        return QemuCommandLine.build(GuestXml.parse(stored, 7), CAPS, conf).args();
    }

    private static List<String> devices(List<String> argv, String driverPrefix) {
        List<String> result = new ArrayList<>();
        for (int i = 0; i + 1 < argv.size(); i++) {
            if (argv.get(i).equals("-device") && argv.get(i + 1).startsWith("{\"driver\":\"" + driverPrefix)) {
                result.add(argv.get(i + 1));
            }
        }
        return result;
    }

    @Test
    void uefiWithSecureBootAndSmmIsFlashCodeAndVariablesAsLibvirtPassesThem() {
        String xml = "<domain type='qemu'><name>vm1</name><memory unit='MiB'>64</memory><os>"
            + "<type arch='x86_64' machine='pc-q35-7.2'>hvm</type>"
            + "<loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.ms.fd</loader>"
            + "<nvram template='/usr/share/OVMF/OVMF_VARS_4M.ms.fd'>/n/vm1_VARS.fd</nvram></os>"
            + "<features><acpi/><smm state='on'/></features></domain>";
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/run/q"), Map.of(), List.of());
        List<String> argv = QemuCommandLine.build(GuestXml.parse(xml, 7), CAPS, conf).args();
        int first = argv.indexOf("-blockdev");
        assertEquals(List.of("-blockdev",
            "{\"driver\":\"file\",\"filename\":\"/usr/share/OVMF/OVMF_CODE_4M.ms.fd\","
                + "\"node-name\":\"libvirt-pflash0-storage\",\"auto-read-only\":true,\"discard\":\"unmap\"}",
            "-blockdev",
            "{\"node-name\":\"libvirt-pflash0-format\",\"read-only\":true,\"driver\":\"raw\","
                + "\"file\":\"libvirt-pflash0-storage\"}",
            "-blockdev",
            "{\"driver\":\"file\",\"filename\":\"/n/vm1_VARS.fd\",\"node-name\":\"libvirt-pflash1-storage\","
                + "\"auto-read-only\":true,\"discard\":\"unmap\"}",
            "-blockdev",
            "{\"node-name\":\"libvirt-pflash1-format\",\"read-only\":false,\"driver\":\"raw\","
                + "\"file\":\"libvirt-pflash1-storage\"}",
            "-machine",
            "pc-q35-7.2,usb=off,smm=on,dump-guest-core=off,memory-backend=pc.ram,pflash0=libvirt-pflash0-format,"
                + "pflash1=libvirt-pflash1-format"), argv.subList(first, first + 10));
        int global = argv.indexOf("driver=cfi.pflash01,property=secure,value=on");
        assertEquals(List.of("-accel", "tcg", "-global"), argv.subList(global - 3, global),
            "the secure flash follows -accel (and -cpu when there is one)");
        assertEquals("-m", argv.get(global + 1));
    }

    /** -device lines of a q35 guest with a virtio disk and {@code ports} pcie-root-port controllers of its own. */
    private static List<String> q35Devices(int ports) {
        String devices = "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/x.qcow2'/>"
            + "<target dev='vda' bus='virtio'/></disk><controller type='pci' model='pcie-root'/>"
            + "<controller type='pci' model='pcie-root-port'/>".repeat(ports);
        List<String> argv = argv(devices, "qemu", "pc-q35-7.2");
        List<String> result = new ArrayList<>();
        for (int i = 0; i + 1 < argv.size(); i++) {
            if (argv.get(i).equals("-device")) {
                result.add(argv.get(i + 1));
            }
        }
        return result;
    }

    private static String rootPort(int index) {
        int function = index - 1;
        return "{\"driver\":\"pcie-root-port\",\"port\":" + (8 + function) + ",\"chassis\":" + index + ",\"id\":\"pci."
            + index + "\",\"bus\":\"pcie.0\"," + (function == 0 ? "\"multifunction\":true,\"addr\":\"0x1\"}"
            : "\"addr\":\"0x1.0x" + function + "\"}");
    }

    /** Devices as libvirt 9.0's domxml-to-native placed them for 0, 1, 3 and 5 root ports of the definition's own. */
    @Test
    void q35DevicesUseTheDefinitionsRootPortsFirstAndOnlyADefinitionWithoutAnyGetsASpare() {
        List<String> devices = List.of(
            "{\"driver\":\"qemu-xhci\",\"id\":\"usb\",\"bus\":\"pci.1\",\"addr\":\"0x0\"}",
            "{\"driver\":\"virtio-blk-pci\",\"bus\":\"pci.2\",\"addr\":\"0x0\",\"drive\":\"libvirt-1-format\","
                + "\"id\":\"virtio-disk0\",\"bootindex\":1}",
            "{\"driver\":\"virtio-balloon-pci\",\"id\":\"balloon0\",\"bus\":\"pci.3\",\"addr\":\"0x0\"}");
        for (int[] ports : new int[][] {{0, 4}, {1, 3}, {3, 3}, {5, 5}}) {
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= ports[1]; i++) {
                expected.add(rootPort(i));
            }
            expected.addAll(devices);
            assertEquals(expected, q35Devices(ports[0]), ports[0] + " root ports in the definition");
        }
    }

    /** Lines libvirtd 9.0's domxml-to-native printed for these elements (its test inputs acpi-table, genid, ...). */
    @Test
    void machineExtrasAreWhereLibvirtdPutsThem() {
        String xml = "<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><name>vm1</name>"
            + "<memory unit='MiB'>64</memory><genid>e9392370-2917-565e-692b-d057f46512d6</genid>"
            + "<os><type arch='x86_64' machine='pc'>hvm</type><loader>/usr/share/seabios/bios.bin</loader>"
            + "<acpi><table type='slic'>/var/lib/libvirt/acpi/slic.dat</table></acpi></os>"
            + "<devices><controller type='pci' model='pci-root'><pcihole64 unit='KiB'>1048576</pcihole64>"
            + "</controller></devices><qemu:commandline><qemu:arg value='-unknown'/><qemu:arg value='parameter'/>"
            + "<qemu:env name='NAME' value='v'/></qemu:commandline></domain>";
        String stored = DomainXml.format(DomainXml.parse(xml), -1, DomainXml.INACTIVE | DomainXml.SECURE);
        QemuConf conf = QemuConf.read(ConfFile.parse("qemu.conf", ""), Path.of("/run/q"), Map.of(), List.of());
        QemuCommand command = QemuCommandLine.build(GuestXml.parse(stored, 7), CAPS, conf);
        String line = String.join(" ", command.args());
        assertTrue(line.contains("-bios /usr/share/seabios/bios.bin"), line);
        assertTrue(line.contains("-device {\"driver\":\"vmgenid\",\"guid\":\"e9392370-2917-565e-692b-d057f46512d6\","
            + "\"id\":\"vmgenid0\"}"), line);
        assertTrue(line.contains("-acpitable sig=SLIC,file=/var/lib/libvirt/acpi/slic.dat"), line);
        assertTrue(line.contains("-global i440FX-pcihost.pci-hole64-size=1048576K"), line);
        assertTrue(line.contains("-unknown parameter -sandbox"), line);
        assertEquals("v", command.env().get("NAME"));
    }

    /** An {@code <audio>} backend with its directions, as libvirtd 9.0 printed it for its audio-alsa-full input. */
    @Test
    void paravirtualFeaturesAreCpuPropertiesInLibvirtsOrderAndTheDirtyRingAnAccelProperty() {
        String xml = "<domain type='kvm'><name>vm1</name><memory unit='MiB'>64</memory>"
            + "<os><type arch='x86_64' machine='pc'>hvm</type></os><features><apic eoi='on'/><pvspinlock/>"
            + "<kvm><hidden state='on'/><hint-dedicated state='on'/><poll-control state='off'/><pv-ipi state='off'/>"
            + "<dirty-ring state='on' size='4096'/></kvm></features><cpu mode='host-passthrough'/>"
            + "<devices><panic model='hyperv'/></devices></domain>";
        String stored = DomainXml.format(DomainXml.parse(xml), -1, DomainXml.INACTIVE | DomainXml.SECURE);
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/run/q"), Map.of(), List.of());
        List<String> argv = QemuCommandLine.build(GuestXml.parse(stored, 7), CAPS, conf).args();
        assertEquals("host,kvm-pv-eoi=on,kvm-pv-unhalt=on,hv-crash,kvm=off,kvm-hint-dedicated=on,kvm-pv-ipi=off",
            argv.get(argv.indexOf("-cpu") + 1));
        assertEquals("kvm,dirty-ring-size=4096", argv.get(argv.indexOf("-accel") + 1));
    }

    private static List<String> memoryArgv(String memoryBacking, String cells, String devices, String machine) {
        String xml = "<domain type='qemu'><name>vm1</name><maxMemory slots='16' unit='KiB'>16777216</maxMemory>"
            + "<memory unit='KiB'>1000000</memory>" + memoryBacking + "<vcpu>2</vcpu>"
            + "<os><type arch='x86_64' machine='" + machine + "'>hvm</type></os><cpu><numa>" + cells
            + "</numa></cpu><devices>" + devices + "</devices></domain>";
        String stored = DomainXml.format(DomainXml.parse(xml), -1, DomainXml.INACTIVE | DomainXml.SECURE);
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/run/q"), Map.of(), List.of());
        return QemuCommandLine.build(GuestXml.parse(stored, 7), CAPS, conf).args();
    }

    @Test
    void memoryModulesAreNamedAfterTheirSlotsAndSizedInWhole2MiBBlocks() {
        List<String> argv = memoryArgv("", "<cell id='0' cpus='0-1' memory='500000' unit='KiB'/>",
            "<memory model='dimm'><target><size unit='KiB'>130000</size><node>0</node></target>"
                + "<address type='dimm' slot='2'/></memory>"
                + "<memory model='nvdimm' access='private'><source><path>/tmp/nv</path></source><target>"
                + "<size unit='KiB'>4096</size><node>0</node><label><size unit='KiB'>128</size></label><readonly/>"
                + "</target></memory>", "pc");
        String line = String.join(" ", argv);
        assertTrue(line.contains("-machine pc-i440fx-7.2,usb=off,dump-guest-core=off,nvdimm=on "), line);
        assertTrue(line.contains("-m size=500736k,slots=16,maxmem=16777216k "), line);
        assertTrue(line.contains(" -object {\"qom-type\":\"memory-backend-ram\",\"id\":\"memdimm2\","
            + "\"size\":134217728} -device {\"driver\":\"pc-dimm\",\"node\":0,\"memdev\":\"memdimm2\","
            + "\"id\":\"dimm2\",\"slot\":2} "), line);
        assertTrue(line.contains(" -object {\"qom-type\":\"memory-backend-file\",\"id\":\"memnvdimm0\","
            + "\"mem-path\":\"/tmp/nv\",\"share\":false,\"prealloc\":true,\"size\":4194304} -device "
            + "{\"driver\":\"nvdimm\",\"node\":0,\"label-size\":131072,\"unarmed\":true,"
            + "\"memdev\":\"memnvdimm0\",\"id\":\"nvdimm0\",\"slot\":0}"), line);
    }

    @Test
    void numaNodesTakeABackendOnlyWhereTheirMemoryAsksForOne() {
        String cells = "<cell id='0' cpus='0' memory='1536' unit='KiB'/><cell id='1' cpus='1' memory='1536'"
            + " unit='KiB' memAccess='private'/>";
        String line = String.join(" ", memoryArgv("", cells, "", "pc"));
        assertTrue(line.contains("-object {\"qom-type\":\"memory-backend-ram\",\"id\":\"ram-node0\","
            + "\"size\":2097152} -numa node,nodeid=0,cpus=0,memdev=ram-node0 -object {\"qom-type\":"
            + "\"memory-backend-file\",\"id\":\"ram-node1\",\"mem-path\":\"/run/q/ram/7-vm1/ram-node1\","
            + "\"share\":false,\"size\":2097152} -numa node,nodeid=1,cpus=1,memdev=ram-node1 "), line);
        // a machine type that still takes -numa node,mem= gets the nodes' sizes so where no node needs more
        String legacy = String.join(" ", memoryArgv("<memoryBacking><allocation mode='immediate'/></memoryBacking>",
            "<cell id='0' cpus='0-1' memory='1536' unit='KiB'/>", "", "pc-i440fx-5.0"));
        assertTrue(legacy.contains(" -mem-prealloc -numa node,nodeid=0,cpus=0-1,mem=2 "), legacy);
        String memfd = String.join(" ", memoryArgv("<memoryBacking><source type='memfd'/><access mode='shared'/>"
            + "<allocation mode='immediate'/></memoryBacking>", "<cell id='0' cpus='0-1' memory='2048' unit='KiB'/>",
            "", "pc"));
        assertTrue(memfd.contains("-object {\"qom-type\":\"memory-backend-memfd\",\"id\":\"ram-node0\","
            + "\"share\":true,\"prealloc\":true,\"size\":2097152}"), memfd);
    }

    @Test
    void aRootPortKeepsItsModelTargetHotplugAndAddress() {
        List<String> argv = argv("<controller type='pci' index='0' model='pcie-root'/>"
            + "<controller type='pci' index='2' model='pcie-root-port'><model name='ioh3420'/>"
            + "<target chassis='40' port='0x1a' hotplug='off'/>"
            + "<address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0' multifunction='off'/>"
            + "</controller><controller type='pci' index='1' model='pcie-root-port'><model name='pcie-root-port'/>"
            + "<target chassis='1' port='0x10'/>"
            + "<address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/></controller>", "qemu", "q35");
        List<String> ports = devices(argv, "ioh3420");
        ports.addAll(devices(argv, "pcie-root-port"));
        assertEquals(List.of(
            "{\"driver\":\"ioh3420\",\"port\":26,\"chassis\":40,\"id\":\"pci.2\",\"hotplug\":false,"
                + "\"bus\":\"pcie.0\",\"multifunction\":false,\"addr\":\"0x2\"}",
            "{\"driver\":\"pcie-root-port\",\"port\":16,\"chassis\":1,\"id\":\"pci.1\",\"bus\":\"pcie.0\","
                + "\"addr\":\"0x3\"}"), ports);
    }

    @Test
    void diskQueuesErrorPoliciesClockAndMachineSwitchesAreWhereLibvirtdPutsThem() {
        String xml = "<domain type='qemu'><name>vm1</name><memory unit='MiB'>64</memory><memoryBacking>"
            + "<nosharepages/></memoryBacking><os><type arch='x86_64' machine='pc'>hvm</type></os>"
            + "<clock offset='absolute' start='253402300799'><timer name='rtc' track='realtime'/></clock><devices>"
            + "<controller type='pci' index='0' model='pci-root'><target hotplug='off'/></controller>"
            + "<disk type='file' device='disk'><driver name='qemu' type='raw' queues='4' queue_size='256'"
            + " error_policy='enospace' detect_zeroes='unmap'/><source file='/i/a.img'/><target dev='vda' bus='virtio'/></disk>"
            + "<disk type='file' device='disk'><driver name='qemu' type='raw' error_policy='report'"
            + " rerror_policy='ignore'/><source file='/i/b.img'/><target dev='hda' bus='ide'/></disk>"
            + "</devices></domain>";
        String stored = DomainXml.format(DomainXml.parse(xml), -1, DomainXml.INACTIVE | DomainXml.SECURE);
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/run/q"), Map.of(), List.of());
        List<String> argv = QemuCommandLine.build(GuestXml.parse(stored, 7), CAPS, conf).args();
        assertEquals("pc-i440fx-7.2,usb=off,dump-guest-core=off,mem-merge=off,memory-backend=pc.ram",
            argv.get(argv.indexOf("-machine") + 1));
        assertEquals("base=9999-12-31T23:59:59,clock=rt", argv.get(argv.indexOf("-rtc") + 1));
        assertEquals("PIIX4_PM.acpi-root-pci-hotplug=off", argv.get(argv.indexOf("-global") + 1));
        String virtio = devices(argv, "virtio-blk-pci").get(0);
        assertTrue(virtio.startsWith("{\"driver\":\"virtio-blk-pci\",\"num-queues\":4,\"queue-size\":256,"), virtio);
        assertTrue(virtio.endsWith("\"werror\":\"enospc\"}"), virtio);
        assertTrue(argv.contains("{\"node-name\":\"libvirt-2-format\",\"read-only\":false,\"detect-zeroes\":\"on\","
            + "\"driver\":\"raw\",\"file\":\"libvirt-2-storage\"}"), "unmap without discard is on: " + argv);
        String ide = devices(argv, "ide-hd").get(0);
        assertTrue(ide.endsWith("\"werror\":\"report\",\"rerror\":\"ignore\"}"), ide);
    }

    @Test
    void aChannelIsOnTheVirtioSerialPortItsAddressNamesAndADisabledBootMenuIsOff() {
        String xml = "<domain type='qemu'><name>vm1</name><memory unit='MiB'>64</memory>"
            + "<os><type arch='x86_64' machine='pc'>hvm</type><bootmenu enable='no'/></os><devices>"
            + "<controller type='virtio-serial' index='1'/><channel type='pty'><target type='virtio'"
            + " name='org.linux-kvm.port.foo'/><address type='virtio-serial' controller='1' bus='0' port='3'/>"
            + "</channel></devices></domain>";
        String stored = DomainXml.format(DomainXml.parse(xml), -1, DomainXml.INACTIVE | DomainXml.SECURE);
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/run/q"), Map.of(), List.of());
        List<String> argv = QemuCommandLine.build(GuestXml.parse(stored, 7), CAPS, conf).args();
        assertEquals("menu=off,strict=on", argv.get(argv.indexOf("-boot") + 1));
        assertEquals(1, devices(argv, "virtio-serial-pci").size(), "no implicit controller 0: " + argv);
        assertTrue(devices(argv, "virtserialport").get(0).startsWith(
            "{\"driver\":\"virtserialport\",\"bus\":\"virtio-serial1.0\",\"nr\":3,"), argv.toString());
    }

    @Test
    void aHostPciDeviceIsAVfioPciDeviceWithItsBootIndex() {
        List<String> argv = argv("<hostdev mode='subsystem' type='pci' managed='yes'><source><address"
            + " domain='0x0001' bus='0x01' slot='0x00' function='0x1'/></source><boot order='2'/>"
            + "<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/></hostdev>", "qemu");
        assertEquals(List.of("{\"driver\":\"vfio-pci\",\"host\":\"0001:01:00.1\",\"id\":\"hostdev0\","
            + "\"bootindex\":2,\"bus\":\"pci.0\",\"addr\":\"0x5\"}"), devices(argv, "vfio-pci"));
    }

    @Test
    void aBootDeviceKindBootsAtItsPlaceInTheListEvenWhereAnEarlierKindHasNoDevice() {
        String xml = "<domain type='qemu'><name>vm1</name><memory unit='MiB'>64</memory>"
            + "<os><type arch='x86_64' machine='pc'>hvm</type><boot dev='cdrom'/><boot dev='hd'/></os><devices>"
            + "<disk type='file' device='disk'><source file='/i/a.img'/><target dev='vda' bus='virtio'/></disk>"
            + "</devices></domain>";
        String stored = DomainXml.format(DomainXml.parse(xml), -1, DomainXml.INACTIVE | DomainXml.SECURE);
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/run/q"), Map.of(), List.of());
        List<String> argv = QemuCommandLine.build(GuestXml.parse(stored, 7), CAPS, conf).args();
        assertTrue(devices(argv, "virtio-blk-pci").get(0).endsWith("\"bootindex\":2}"), argv.toString());
    }

    @Test
    void anEgdRandomSourceIsASocketChardevAndAVncWebsocketAndSharePolicyArePassed() {
        List<String> argv = argv("<rng model='virtio'><backend model='egd' type='tcp'><source mode='connect'"
            + " host='1.2.3.4' service='1234'/><protocol type='raw'/></backend></rng>"
            + "<graphics type='vnc' port='5900' autoport='no' websocket='5700' sharePolicy='force-shared'"
            + " listen='127.0.0.1'/>", "qemu");
        String line = String.join(" ", argv);
        assertTrue(line.contains("-chardev socket,id=charrng0,host=1.2.3.4,port=1234 -object {\"qom-type\":"
            + "\"rng-egd\",\"id\":\"objrng0\",\"chardev\":\"charrng0\"}"), line);
        assertEquals("127.0.0.1:0,websocket=5700,share=force-shared,audiodev=audio1", argv.get(argv.indexOf("-vnc") + 1));
    }

    @Test
    void aDevicesAcpiIndexFollowsItsAddress() {
        List<String> argv = argv("<disk type='file' device='disk'><source file='/i/a.img'/><target dev='vda'"
            + " bus='virtio'/><acpi index='42'/><address type='pci' domain='0x0000' bus='0x00' slot='0x04'"
            + " function='0x0'/></disk>", "qemu");
        assertTrue(devices(argv, "virtio-blk-pci").get(0).contains("\"addr\":\"0x4\",\"acpi-index\":42,"),
            argv.toString());
    }

    @Test
    void aVirtioInputKeepsItsAddressAndADiskItsVirtqueueSwitches() {
        List<String> argv = argv("<input type='tablet' bus='virtio'><address type='pci' domain='0x0000' bus='0x00'"
            + " slot='0x0a' function='0x0'/></input><disk type='file' device='disk'><driver name='qemu' type='raw'"
            + " ioeventfd='off' event_idx='on'/><source file='/i/a.img'/><target dev='vda' bus='virtio'/></disk>",
            "qemu");
        assertEquals(List.of("{\"driver\":\"virtio-tablet-pci\",\"id\":\"input0\",\"bus\":\"pci.0\","
            + "\"addr\":\"0xa\"}"), devices(argv, "virtio-tablet-pci"));
        assertTrue(devices(argv, "virtio-blk-pci").get(0).startsWith(
            "{\"driver\":\"virtio-blk-pci\",\"ioeventfd\":false,\"event_idx\":true,"), argv.toString());
    }

    @Test
    void aVirtioGpuWith3dAccelerationIsItsOpenGlVariant() {
        List<String> argv = argv("<video><model type='virtio' heads='1' primary='yes'><acceleration accel3d='yes'/>"
            + "</model></video><video><model type='virtio' heads='1'><acceleration accel3d='yes'/></model></video>",
            "qemu");
        assertEquals(1, devices(argv, "virtio-vga-gl").size(), argv.toString());
        assertEquals(1, devices(argv, "virtio-gpu-gl-pci").size(), argv.toString());
    }

    @Test
    void ioThreadsAndTheMainLoopCarryTheirThreadPools() {
        String xml = "<domain type='qemu'><name>vm1</name><memory unit='MiB'>64</memory><iothreads>2</iothreads>"
            + "<iothreadids><iothread id='2' thread_pool_min='0' thread_pool_max='60'/><iothread id='1'/></iothreadids>"
            + "<defaultiothread thread_pool_min='8' thread_pool_max='16'/>"
            + "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>";
        String stored = DomainXml.format(DomainXml.parse(xml), -1, DomainXml.INACTIVE | DomainXml.SECURE);
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/run/q"), Map.of(), List.of());
        String line = String.join(" ", QemuCommandLine.build(GuestXml.parse(stored, 7), CAPS, conf).args());
        assertTrue(line.contains("-object {\"qom-type\":\"iothread\",\"id\":\"iothread2\",\"thread-pool-min\":0,"
            + "\"thread-pool-max\":60} -object {\"qom-type\":\"iothread\",\"id\":\"iothread1\"} -object "
            + "{\"qom-type\":\"main-loop\",\"id\":\"main-loop\",\"thread-pool-min\":8,\"thread-pool-max\":16}"),
            line);
    }

    @Test
    void thePcSpeakerIsASoundhwAndTheSoundBlasterAnIsaDevice() {
        List<String> argv = argv("<sound model='pcspk'/><sound model='sb16'/>", "qemu");
        String line = String.join(" ", argv);
        assertTrue(line.contains(" -soundhw pcspk -device {\"driver\":\"sb16\",\"id\":\"sound1\","
            + "\"audiodev\":\"audio1\"} "), line);
    }

    @Test
    void anAudioElementIsItsOwnAudiodev() {
        List<String> argv = argv("<audio id='1' type='alsa'>"
            + "<input mixingEngine='yes' fixedSettings='yes' voices='1' bufferLength='100' dev='/dev/dsp0'>"
            + "<settings frequency='44100' channels='2' format='s16'/></input>"
            + "<output mixingEngine='yes' fixedSettings='yes' voices='2' bufferLength='200' dev='/dev/dsp1'>"
            + "<settings frequency='22050' channels='4' format='f32'/></output></audio>"
            + "<audio id='2' type='pulseaudio' serverName='acme.example.org'/>", "qemu");
        List<String> backends = new ArrayList<>();
        for (int i = 0; i + 1 < argv.size(); i++) {
            if (argv.get(i).equals("-audiodev")) {
                backends.add(argv.get(i + 1));
            }
        }
        assertEquals(List.of("{\"id\":\"audio1\",\"driver\":\"alsa\",\"in\":{\"mixing-engine\":true,"
            + "\"fixed-settings\":true,\"voices\":1,\"buffer-length\":100,\"frequency\":44100,\"channels\":2,"
            + "\"format\":\"s16\",\"dev\":\"/dev/dsp0\"},\"out\":{\"mixing-engine\":true,\"fixed-settings\":true,"
            + "\"voices\":2,\"buffer-length\":200,\"frequency\":22050,\"channels\":4,\"format\":\"f32\","
            + "\"dev\":\"/dev/dsp1\"}}",
            "{\"id\":\"audio2\",\"driver\":\"pa\",\"server\":\"acme.example.org\"}"), backends);
    }

    /** A PCIe switch and an expander bus of the definition, as libvirtd 9.0 printed them for its test inputs. */
    @Test
    void switchPortsAndExpanderBusesComeFromTheDefinition() {
        List<String> argv = argv("<controller type='pci' index='0' model='pcie-root'/>"
            + "<controller type='pci' index='1' model='pcie-root-port'><target chassis='1' port='0x10'/>"
            + "<address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/></controller>"
            + "<controller type='pci' index='2' model='pcie-switch-upstream-port'>"
            + "<address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></controller>"
            + "<controller type='pci' index='3' model='pcie-switch-downstream-port'><target chassis='4' port='0x0'/>"
            + "<address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/></controller>"
            + "<controller type='pci' index='4' model='pcie-expander-bus'><target busNr='254'><node>0</node></target>"
            + "<address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/></controller>",
            "qemu", "pc-q35-7.2");
        assertTrue(argv.contains("{\"driver\":\"x3130-upstream\",\"id\":\"pci.2\",\"bus\":\"pci.1\",\"addr\":\"0x0\"}"),
            argv.toString());
        assertTrue(argv.contains("{\"driver\":\"xio3130-downstream\",\"port\":0,\"chassis\":4,\"id\":\"pci.3\","
            + "\"bus\":\"pci.2\",\"addr\":\"0x0\"}"), argv.toString());
        assertTrue(argv.contains("{\"driver\":\"pxb-pcie\",\"bus_nr\":254,\"id\":\"pci.4\",\"numa_node\":0,"
            + "\"bus\":\"pcie.0\",\"addr\":\"0x4\"}"), argv.toString());
    }

    /** A graphics listen on a network the daemon does not know: libvirtd 9.0's error, not a crash. */
    @Test
    void aListenOnAnUnknownNetworkIsLibvirtsNetworkNotFound() {
        org.jvirtd.api.VirtException e = org.junit.jupiter.api.Assertions.assertThrows(org.jvirtd.api.VirtException.class,
            () -> argv("<graphics type='vnc'><listen type='network' network='Bobsnetwork'/></graphics>", "qemu"));
        assertEquals(org.jvirtd.api.ErrorCode.NO_NETWORK, e.code());
        assertTrue(e.getMessage().contains("no network with matching name 'Bobsnetwork'"), e.getMessage());
    }

    /** libvirtd 9.0's domxml-to-native of a q35 guest with no PCI device: no root port, not even a spare. */
    @Test
    void aQ35GuestWhoseDevicesNeedNoRootPortGetsNoSpare() {
        List<String> argv = argv("<controller type='pci' model='pcie-root'/><controller type='usb' model='none'/>"
            + "<memballoon model='none'/>", "qemu", "pc-q35-7.2");
        assertEquals(List.of(), devices(argv, "pcie-root-port"));
    }

    @Test
    void controllersWithoutAModelBesideAUsb2SetArePlacedToo() {
        List<String> argv = argv(USB2_SET + "<controller type='virtio-serial'/>"
            + "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>", "qemu");
        assertEquals(List.of("{\"driver\":\"virtio-serial-pci\",\"id\":\"virtio-serial0\",\"bus\":\"pci.0\",\"addr\":\"0x3\"}"),
            devices(argv, "virtio-serial"));
    }

    /** virt-install --console pty,target_type=virtio and a SPICE agent channel, as libvirt 9.0 passes them. */
    @Test
    void aVirtioConsoleIsAVirtconsoleAndTheSpiceAgentChannelIsNamed() {
        List<String> argv = argv("<serial type='pty'><target type='isa-serial' port='0'/></serial>"
            + "<console type='pty'><target type='serial' port='0'/></console>"
            + "<console type='pty'><target type='virtio' port='1'/></console>"
            + "<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>", "qemu");
        int agent = argv.indexOf("spicevmc,id=charchannel0,name=vdagent");
        assertEquals(List.of("-chardev", "spicevmc,id=charchannel0,name=vdagent", "-device",
            "{\"driver\":\"virtserialport\",\"bus\":\"virtio-serial0.0\",\"nr\":1,\"chardev\":\"charchannel0\","
                + "\"id\":\"channel0\",\"name\":\"com.redhat.spice.0\"}"), argv.subList(agent - 1, agent + 3));
        int console = argv.indexOf("pty,id=charconsole1");
        assertEquals(List.of("-chardev", "pty,id=charconsole1", "-device",
            "{\"driver\":\"virtconsole\",\"chardev\":\"charconsole1\",\"id\":\"console1\"}"),
            argv.subList(console - 1, console + 3));
        assertTrue(agent < console, "channels come before consoles");
    }

    /** Disk properties in libvirt 9.0's order (its domxml-to-native of the same four disks). */
    @Test
    void diskPropertiesComeInLibvirtsOrder() {
        List<String> argv = argv("<disk type='file' device='disk'><driver name='qemu' type='raw' cache='none'/>"
            + "<source file='/a.raw'/><target dev='vda' bus='virtio'/><serial>s1</serial><shareable/></disk>"
            + "<disk type='file' device='disk'><driver name='qemu' type='raw' cache='writeback'/><source file='/b.raw'/>"
            + "<target dev='sda' bus='scsi'/><serial>s2</serial><wwn>5000c50015ea71ac</wwn></disk>"
            + "<disk type='file' device='disk'><driver name='qemu' type='raw' cache='directsync'/><source file='/c.raw'/>"
            + "<target dev='sdb' bus='usb' removable='on'/><serial>s3</serial></disk>"
            + "<disk type='file' device='disk'><driver name='qemu' type='raw' cache='unsafe'/><source file='/d.raw'/>"
            + "<target dev='hda' bus='ide'/><serial>s4</serial></disk>"
            + "<controller type='usb' model='qemu-xhci'/>", "qemu");
        assertEquals(List.of(
            "{\"driver\":\"virtio-blk-pci\",\"bus\":\"pci.0\",\"addr\":\"0x4\",\"share-rw\":true,"
                + "\"drive\":\"libvirt-4-format\",\"id\":\"virtio-disk0\",\"bootindex\":1,\"write-cache\":\"on\","
                + "\"serial\":\"s1\"}",
            "{\"driver\":\"scsi-hd\",\"bus\":\"scsi0.0\",\"scsi-id\":0,\"device_id\":\"s2\",\"drive\":\"libvirt-3-format\","
                + "\"id\":\"scsi0-0-0\",\"wwn\":5764824127192592812,\"write-cache\":\"on\",\"serial\":\"s2\"}",
            "{\"driver\":\"usb-storage\",\"bus\":\"usb.0\",\"port\":\"1\",\"drive\":\"libvirt-2-format\",\"id\":\"usb-disk1\","
                + "\"removable\":true,\"write-cache\":\"off\",\"serial\":\"s3\"}",
            "{\"driver\":\"ide-hd\",\"bus\":\"ide.0\",\"unit\":0,\"drive\":\"libvirt-1-format\",\"id\":\"ide0-0-0\","
                + "\"write-cache\":\"on\",\"serial\":\"s4\"}"),
            argv.stream().filter(a -> a.contains("\"drive\":\"libvirt-")).toList());
    }

    /** libvirt 9.0 names the AHCI controller by QEMU's alias "ahci" (its domxml-to-native on pc). */
    @Test
    void aSataControllerIsAhci() {
        assertEquals(List.of("{\"driver\":\"ahci\",\"id\":\"sata0\",\"bus\":\"pci.0\",\"addr\":\"0x2\"}"),
            devices(argv("<controller type='sata' index='0'/>", "qemu"), "ahci"));
    }

    /** libvirt 9.0's -machine for q35 with vmport off and SMM on (its domxml-to-native). */
    @Test
    void vmportAndSmmAreMachineOptionsAfterUsb() {
        String xml = "<domain type='qemu'><name>vm1</name><memory unit='MiB'>64</memory><os>"
            + "<type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>"
            + "<features><acpi/><vmport state='off'/><smm state='on'/></features></domain>";
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/run/q"), Map.of(), List.of());
        List<String> argv = QemuCommandLine.build(GuestXml.parse(xml, 7), CAPS, conf).args();
        assertEquals("pc-q35-7.2,usb=off,vmport=off,smm=on,dump-guest-core=off,memory-backend=pc.ram",
            after(argv, "-machine"));
    }

    /** Four sound cards after the video, as libvirt 9.0's domxml-to-native gives them. */
    @Test
    void soundCardsAreHdaControllersWithCodecsOrCardsOfTheirOwnAfterTheVideo() {
        List<String> argv = argv("<sound model='ich6'><codec type='micro'/><codec type='output'/></sound>"
            + "<sound model='ac97'/><sound model='ich9'/><sound model='es1370'/><video><model type='vga'/></video>", "qemu");
        List<String> devices = devices(argv, "");
        int video = devices.indexOf(devices.stream().filter(d -> d.contains("\"id\":\"video0\"")).findFirst().orElseThrow());
        assertEquals(List.of(
            "{\"driver\":\"intel-hda\",\"id\":\"sound0\",\"bus\":\"pci.0\",\"addr\":\"0x3\"}",
            "{\"driver\":\"hda-micro\",\"id\":\"sound0-codec0\",\"bus\":\"sound0.0\",\"cad\":0,\"audiodev\":\"audio1\"}",
            "{\"driver\":\"hda-output\",\"id\":\"sound0-codec1\",\"bus\":\"sound0.0\",\"cad\":1,\"audiodev\":\"audio1\"}",
            "{\"driver\":\"AC97\",\"id\":\"sound1\",\"audiodev\":\"audio1\",\"bus\":\"pci.0\",\"addr\":\"0x4\"}",
            "{\"driver\":\"ich9-intel-hda\",\"id\":\"sound2\",\"bus\":\"pci.0\",\"addr\":\"0x5\"}",
            "{\"driver\":\"hda-duplex\",\"id\":\"sound2-codec0\",\"bus\":\"sound2.0\",\"cad\":0,\"audiodev\":\"audio1\"}",
            "{\"driver\":\"ES1370\",\"id\":\"sound3\",\"audiodev\":\"audio1\",\"bus\":\"pci.0\",\"addr\":\"0x6\"}"),
            devices.subList(video + 1, video + 8));
    }

    @Test
    void aWatchdogKeepsTheAddressItWasGiven() {
        assertEquals(List.of("{\"driver\":\"i6300esb\",\"id\":\"watchdog0\",\"bus\":\"pci.0\",\"addr\":\"0x5\"}"),
            devices(argv("<watchdog model='i6300esb' action='reset'><address type='pci' domain='0x0000' bus='0x00' "
                + "slot='0x05' function='0x0'/></watchdog>", "qemu"), "i6300esb"));
    }

    /**
     * A second SATA controller on q35 as libvirt 9.0 stores it (behind a pcie-to-pci-bridge in root port 1) and
     * passes it (its domxml-to-native): the PCI controllers by index, root ports and the bridge interleaved.
     */
    @Test
    void pciBridgesOfTheDefinitionArePassedInIndexOrderWithTheRootPorts() {
        String pci = "<controller type='sata' index='1'><address type='pci' domain='0x0000' bus='0x02' slot='0x01' "
            + "function='0x0'/></controller>"
            + "<controller type='usb' index='0' model='qemu-xhci'><address type='pci' domain='0x0000' bus='0x03' "
            + "slot='0x00' function='0x0'/></controller>"
            + "<controller type='pci' index='0' model='pcie-root'/>"
            + rootPortXml(1, 0) + "<controller type='pci' index='2' model='pcie-to-pci-bridge'><model name='pcie-pci-bridge'/>"
            + "<address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></controller>"
            + rootPortXml(3, 1) + rootPortXml(4, 2) + rootPortXml(5, 3)
            + "<memballoon model='virtio'><address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/>"
            + "</memballoon>";
        List<String> devices = devices(argv(pci, "qemu", "pc-q35-7.2"), "");
        assertEquals(List.of(
            "{\"driver\":\"pcie-root-port\",\"port\":8,\"chassis\":1,\"id\":\"pci.1\",\"bus\":\"pcie.0\",\"multifunction\":true,\"addr\":\"0x1\"}",
            "{\"driver\":\"pcie-pci-bridge\",\"id\":\"pci.2\",\"bus\":\"pci.1\",\"addr\":\"0x0\"}",
            "{\"driver\":\"pcie-root-port\",\"port\":9,\"chassis\":3,\"id\":\"pci.3\",\"bus\":\"pcie.0\",\"addr\":\"0x1.0x1\"}",
            "{\"driver\":\"pcie-root-port\",\"port\":10,\"chassis\":4,\"id\":\"pci.4\",\"bus\":\"pcie.0\",\"addr\":\"0x1.0x2\"}",
            "{\"driver\":\"pcie-root-port\",\"port\":11,\"chassis\":5,\"id\":\"pci.5\",\"bus\":\"pcie.0\",\"addr\":\"0x1.0x3\"}",
            "{\"driver\":\"qemu-xhci\",\"id\":\"usb\",\"bus\":\"pci.3\",\"addr\":\"0x0\"}",
            "{\"driver\":\"ahci\",\"id\":\"sata1\",\"bus\":\"pci.2\",\"addr\":\"0x1\"}",
            "{\"driver\":\"virtio-balloon-pci\",\"id\":\"balloon0\",\"bus\":\"pci.4\",\"addr\":\"0x0\"}"), devices);
    }

    private static String rootPortXml(int index, int function) {
        return "<controller type='pci' index='" + index + "' model='pcie-root-port'><model name='pcie-root-port'/>"
            + "<target chassis='" + index + "' port='0x" + Integer.toHexString(8 + function) + "'/>"
            + "<address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x" + function + "'"
            + (function == 0 ? " multifunction='on'" : "") + "/></controller>";
    }

    /** virt-install's USB2 set (no indexes, no addresses), as libvirt 9.0's domxml-to-native gives it. */
    private static final String USB2_SET = "<controller type='usb' model='ich9-ehci1'/>"
        + "<controller type='usb' model='ich9-uhci1'><master startport='0'/></controller>"
        + "<controller type='usb' model='ich9-uhci2'><master startport='2'/></controller>"
        + "<controller type='usb' model='ich9-uhci3'><master startport='4'/></controller>";

    @Test
    void anIch9Usb2SetIsOneBusInOneSlot() {
        assertEquals(List.of(
            "{\"driver\":\"ich9-usb-ehci1\",\"id\":\"usb\",\"bus\":\"pci.0\",\"addr\":\"0x2.0x7\"}",
            "{\"driver\":\"ich9-usb-uhci1\",\"masterbus\":\"usb.0\",\"firstport\":0,\"bus\":\"pci.0\","
                + "\"multifunction\":true,\"addr\":\"0x2\"}",
            "{\"driver\":\"ich9-usb-uhci2\",\"masterbus\":\"usb.0\",\"firstport\":2,\"bus\":\"pci.0\","
                + "\"addr\":\"0x2.0x1\"}",
            "{\"driver\":\"ich9-usb-uhci3\",\"masterbus\":\"usb.0\",\"firstport\":4,\"bus\":\"pci.0\","
                + "\"addr\":\"0x2.0x2\"}"), devices(argv(USB2_SET, "qemu"), "ich9-usb"));
    }

    @Test
    void onQ35Usb2SetsTakeTheChipsetsUsbSlots() {
        List<String> usb = devices(argv(USB2_SET + USB2_SET, "qemu", "pc-q35-7.2"), "ich9-usb");
        assertEquals("{\"driver\":\"ich9-usb-ehci1\",\"id\":\"usb\",\"bus\":\"pcie.0\",\"addr\":\"0x1d.0x7\"}",
            usb.get(0));
        assertEquals("{\"driver\":\"ich9-usb-uhci1\",\"masterbus\":\"usb.0\",\"firstport\":0,\"bus\":\"pcie.0\","
            + "\"multifunction\":true,\"addr\":\"0x1d\"}", usb.get(1));
        assertEquals("{\"driver\":\"ich9-usb-ehci1\",\"id\":\"usb1\",\"bus\":\"pcie.0\",\"addr\":\"0x1a.0x7\"}",
            usb.get(4));
        assertEquals("{\"driver\":\"ich9-usb-uhci3\",\"masterbus\":\"usb1.0\",\"firstport\":4,\"bus\":\"pcie.0\","
            + "\"addr\":\"0x1a.0x2\"}", usb.get(7));
    }

    private static String after(List<String> argv, String option) {
        return argv.get(argv.indexOf(option) + 1);
    }

    @Test
    void aRealRunUsesTheMonitorSocketPathAndASandboxThatAllowsDaemonizing() {
        List<String> argv = argv("", "qemu");
        assertEquals("socket,id=charmonitor,path=/run/q/domain-7-vm1/monitor.sock,server=on,wait=off",
            after(argv, "-chardev"));
        assertEquals("on,obsolete=deny,resourcecontrol=deny", after(argv, "-sandbox"));
        assertEquals("pc-i440fx-7.2,usb=off,dump-guest-core=off,memory-backend=pc.ram", after(argv, "-machine"));
    }

    @Test
    void kvmDomainsGetKvmAcceleration() {
        assertEquals("kvm", after(argv("", "kvm"), "-accel"));
    }

    @Test
    void bridgeInterfacesOpenTheirTapByNameAndVncListensWhereQemuConfSays() {
        List<String> argv = argv("<interface type='bridge'><source bridge='br0'/><target dev='vnet3'/>"
            + "<mac address='52:54:00:00:00:01'/><model type='virtio'/></interface><graphics type='vnc' port='5907'/>",
            "qemu");
        assertEquals("{\"type\":\"tap\",\"ifname\":\"vnet3\",\"script\":\"no\",\"downscript\":\"no\",\"id\":\"hostnet0\"}",
            after(argv, "-netdev"));
        assertEquals("0.0.0.0:7,audiodev=audio1", after(argv, "-vnc"));
    }

    @Test
    void luksDisksGetTheirPassphraseAsSecretObjectsEncryptedUnderTheMasterKeyAsLibvirtPassesThem()
        throws Exception {
        String xml = "<domain type='qemu'><name>vm1</name><memory unit='MiB'>64</memory>"
            + "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
            + "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/i/enc.img'>"
            + "<encryption format='luks'><secret type='passphrase' uuid='aaaaaaaa-2222-3333-4444-555555555555'/>"
            + "</encryption></source><target dev='vdb' bus='virtio'/></disk>"
            + "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/i/enc.qcow2'/>"
            + "<target dev='vdc' bus='virtio'/><encryption format='luks'>"
            + "<secret type='passphrase' usage='/i/enc.qcow2'/></encryption></disk></devices></domain>";
        String stored = DomainXml.format(DomainXml.parse(xml), -1, DomainXml.INACTIVE | DomainXml.SECURE);
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/run/q"), Map.of(), List.of());
        byte[] masterKey = DiskSecrets.newMasterKey();
        List<String> asked = new ArrayList<>();
        DiskSecrets secrets = new DiskSecrets(masterKey, enc -> {
            asked.add(enc.secretUuid() != null ? enc.secretUuid() : enc.secretUsage());
            return ("pass-" + asked.size()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        });
        List<String> argv = QemuCommandLine.build(GuestXml.parse(stored, 7), CAPS, conf, secrets).args();
        assertEquals(List.of("aaaaaaaa-2222-3333-4444-555555555555", "/i/enc.qcow2"), asked);
        int raw = argv.indexOf("{\"driver\":\"file\",\"filename\":\"/i/enc.img\",\"node-name\":\"libvirt-2-storage\","
            + "\"auto-read-only\":true,\"discard\":\"unmap\"}");
        String object = argv.get(raw - 2);
        assertEquals("-object", argv.get(raw - 3));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\"qom-type\":\"secret\","
            + "\"id\":\"libvirt-2-format-encryption-secret0\",\"data\":\"([^\"]+)\",\"keyid\":\"masterKey0\","
            + "\"iv\":\"([^\"]+)\",\"format\":\"base64\"}").matcher(object);
        assertTrue(m.matches(), object);
        javax.crypto.Cipher aes = javax.crypto.Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(masterKey, "AES"),
            new javax.crypto.spec.IvParameterSpec(java.util.Base64.getDecoder().decode(m.group(2))));
        assertEquals("pass-1", new String(aes.doFinal(java.util.Base64.getDecoder().decode(m.group(1))),
            java.nio.charset.StandardCharsets.UTF_8), "the data is the passphrase under the master key");
        assertEquals("{\"node-name\":\"libvirt-2-format\",\"read-only\":false,\"driver\":\"luks\","
            + "\"key-secret\":\"libvirt-2-format-encryption-secret0\",\"file\":\"libvirt-2-storage\"}", argv.get(raw + 2));
        assertTrue(argv.contains("{\"node-name\":\"libvirt-1-format\",\"read-only\":false,\"driver\":\"qcow2\","
            + "\"encrypt\":{\"format\":\"luks\",\"key-secret\":\"libvirt-1-format-encryption-secret0\"},"
            + "\"file\":\"libvirt-1-storage\"}"), String.join("\n", argv));
        assertTrue(argv.stream().noneMatch(a -> a.contains("pass-")), "no passphrase in clear");
    }

    @Test
    void anEncryptedDiskWithoutSecretIsLibvirtsError() {
        String xml = "<domain type='qemu'><name>vm1</name><memory unit='MiB'>64</memory>"
            + "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
            + "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/i/enc.img'>"
            + "<encryption format='luks'/></source><target dev='vdb' bus='virtio'/></disk></devices></domain>";
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/run/q"), Map.of(), List.of());
        org.jvirtd.api.VirtException e = org.junit.jupiter.api.Assertions.assertThrows(
            org.jvirtd.api.VirtException.class, () -> QemuCommandLine.build(GuestXml.parse(xml, 7), CAPS, conf,
                new DiskSecrets(DiskSecrets.newMasterKey(), enc -> new byte[1])));
        assertEquals("internal error: missing secret info for 'luks' driver", e.getMessage());
    }

    /** libvirtd 9.0's argv for the same devices (qemuxml2xml's usb-redir-filter input through domxml-to-native). */
    @Test
    void redirectedUsbDevicesKeepTheirUsbAddressAndCarryTheRedirFilter() {
        List<String> argv = argv("<controller type='usb' index='0' model='ich9-ehci1'/>"
            + "<redirdev bus='usb' type='spicevmc'><address type='usb' bus='0' port='4'/></redirdev>"
            + "<redirdev bus='usb' type='spicevmc'><address type='usb' bus='0' port='5'/></redirdev>"
            + "<redirdev bus='usb' type='spicevmc'/>"
            + "<redirfilter><usbdev class='0x08' vendor='0x15E1' product='0x2007' version='9.4' allow='yes'/>"
            + "<usbdev class='0x08' vendor='0x15E1' product='0x2007' version='1.09' allow='yes'/>"
            + "<usbdev allow='no'/></redirfilter><graphics type='spice'/>", "qemu");
        String filter = "0x08:0x15E1:0x2007:0x0940:1|0x08:0x15E1:0x2007:0x0109:1|-1:-1:-1:-1:0";
        assertEquals(List.of(
            "{\"driver\":\"usb-redir\",\"chardev\":\"charredir0\",\"id\":\"redir0\",\"filter\":\"" + filter
                + "\",\"bus\":\"usb.0\",\"port\":\"4\"}",
            "{\"driver\":\"usb-redir\",\"chardev\":\"charredir1\",\"id\":\"redir1\",\"filter\":\"" + filter
                + "\",\"bus\":\"usb.0\",\"port\":\"5\"}",
            "{\"driver\":\"usb-redir\",\"chardev\":\"charredir2\",\"id\":\"redir2\",\"filter\":\"" + filter
                + "\",\"bus\":\"usb.0\",\"port\":\"1\"}"), devices(argv, "usb-redir"));
    }

    @Test
    void qemuVdagentIsItsChardevWithClipboardAndMouseModeAsGiven() {
        List<String> argv = argv("<channel type='qemu-vdagent'><source><clipboard copypaste='yes'/>"
            + "<mouse mode='client'/></source><target type='virtio' name='com.redhat.spice.0'/></channel>", "qemu");
        assertTrue(argv.contains("qemu-vdagent,id=charchannel0,name=vdagent,clipboard=on,mouse=on"), argv.toString());
        List<String> plain = argv("<channel type='qemu-vdagent'><target type='virtio' name='com.redhat.spice.0'/>"
            + "</channel>", "qemu");
        assertTrue(plain.contains("qemu-vdagent,id=charchannel0,name=vdagent"), plain.toString());
    }

    /** An emulated TPM: its chardev leads to the run's swtpm socket; domxml-to-native prints libvirt's null one. */
    @Test
    void anEmulatedTpmIsTheSwtpmSocketChardevTheTpmdevAndTheDeviceAfterTheChannels() {
        List<String> argv = argv("<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>", "qemu");
        int chardev = argv.indexOf("socket,id=chrtpm,path=/run/q/swtpm/7-vm1-swtpm.sock");
        assertTrue(chardev > 0, argv.toString());
        assertEquals(List.of("-chardev", "socket,id=chrtpm,path=/run/q/swtpm/7-vm1-swtpm.sock",
            "-tpmdev", "emulator,id=tpm-tpm0,chardev=chrtpm",
            "-device", "{\"driver\":\"tpm-crb\",\"tpmdev\":\"tpm-tpm0\",\"id\":\"tpm0\"}"),
            argv.subList(chardev - 1, chardev + 5));
        String xml = "<domain type='qemu'><name>vm1</name><memory unit='MiB'>64</memory>"
            + "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
            + "<tpm model='tpm-tis'><backend type='emulator'/></tpm></devices></domain>";
        QemuConf nativeConf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/run/q"), Map.of(), List.of())
            .forNative(Path.of("/var/lib/q"));
        List<String> nativeArgv = QemuCommandLine.build(GuestXml.parse(xml, -1), CAPS, nativeConf).args();
        int tpmdev = nativeArgv.indexOf("-tpmdev");
        assertEquals(List.of("-chardev", "null,id=chrtpm", "-tpmdev", "emulator,id=tpm-tpm0,chardev=chrtpm",
            "-device", "{\"driver\":\"tpm-tis\",\"tpmdev\":\"tpm-tpm0\",\"id\":\"tpm0\"}"),
            nativeArgv.subList(tpmdev - 2, tpmdev + 4));
        List<String> external = argv("<tpm model='tpm-tis'><backend type='external'>"
            + "<source type='unix' mode='connect' path='/tmp/path.sock'/></backend></tpm>", "qemu");
        int socket = external.indexOf("socket,id=chrtpm,path=/tmp/path.sock");
        assertEquals(List.of("-chardev", "socket,id=chrtpm,path=/tmp/path.sock", "-tpmdev",
            "emulator,id=tpm-tpm0,chardev=chrtpm"), external.subList(socket - 1, socket + 3), external.toString());
    }

    /** libvirtd 9.0's argv for qemuxml2xml's channel-virtio input: the port the channel's address names. */
    @Test
    void aVirtioChannelSitsOnTheVirtioSerialPortItsAddressNames() {
        List<String> argv = argv("<controller type='virtio-serial' index='1'/>"
            + "<channel type='pty'><target type='virtio' name='org.linux-kvm.port.foo'/>"
            + "<address type='virtio-serial' controller='1' bus='0' port='3'/></channel>", "qemu");
        assertEquals(List.of("{\"driver\":\"virtio-serial-pci\",\"id\":\"virtio-serial1\",\"bus\":\"pci.0\","
            + "\"addr\":\"0x2\"}"), devices(argv, "virtio-serial"), "no implicit virtio-serial0 beside controller 1");
        assertEquals(List.of("{\"driver\":\"virtserialport\",\"bus\":\"virtio-serial1.0\",\"nr\":3,"
            + "\"chardev\":\"charchannel0\",\"id\":\"channel0\",\"name\":\"org.linux-kvm.port.foo\"}"),
            devices(argv, "virtserialport"));
    }

    /** libvirtd 9.0's argv for qemuxml2xml's smartcard-host, -host-certificates and -passthrough-tcp inputs. */
    @Test
    void smartcardsOfEveryModeSitOnTheCcidBusAsLibvirtPassesThem() {
        assertEquals(List.of("{\"driver\":\"ccid-card-emulated\",\"backend\":\"nss-emulated\",\"id\":\"smartcard0\","
            + "\"bus\":\"ccid0.0\"}"), devices(argv("<controller type='ccid' index='0'/><smartcard mode='host'/>",
            "qemu"), "ccid-card"));
        assertEquals(List.of("{\"driver\":\"ccid-card-emulated\",\"backend\":\"certificates\",\"cert1\":\"cert1\","
            + "\"cert2\":\"cert2\",\"cert3\":\"cert3\",\"db\":\"/etc/pki/nssdb\",\"id\":\"smartcard0\","
            + "\"bus\":\"ccid0.0\"}"), devices(argv("<controller type='ccid' index='0'/>"
            + "<smartcard mode='host-certificates'><certificate>cert1</certificate><certificate>cert2</certificate>"
            + "<certificate>cert3</certificate></smartcard>", "qemu"), "ccid-card"));
        List<String> tcp = argv("<controller type='ccid' index='0'/><smartcard mode='passthrough' type='tcp'>"
            + "<source mode='bind' host='127.0.0.1' service='2001'/><protocol type='raw'/></smartcard>", "qemu");
        int chardev = tcp.indexOf("socket,id=charsmartcard0,host=127.0.0.1,port=2001,server=on,wait=off");
        assertTrue(chardev > 0, tcp.toString());
        assertEquals("{\"driver\":\"ccid-card-passthru\",\"chardev\":\"charsmartcard0\",\"id\":\"smartcard0\","
            + "\"bus\":\"ccid0.0\"}", tcp.get(chardev + 2));
    }

    /** libvirtd 9.0's argv for qemuxml2xml's virtio-iommu-x86_64 input (post-parse puts it at pcie.0 slot 1). */
    @Test
    void aVirtioIommuIsTheVirtioIommuDeviceAtItsAddress() {
        String xml = "<domain type='qemu'><name>vm1</name><memory unit='MiB'>64</memory>"
            + "<os><type arch='x86_64' machine='q35'>hvm</type></os><features><acpi/></features><devices>"
            + "<controller type='usb' model='none'/><memballoon model='none'/><iommu model='virtio'>"
            + "<address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/></iommu></devices></domain>";
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/run/q"), Map.of(), List.of());
        List<String> argv = QemuCommandLine.build(GuestXml.parse(xml, 7), CAPS, conf).args();
        assertEquals(List.of("{\"driver\":\"virtio-iommu\",\"id\":\"iommu0\",\"bus\":\"pcie.0\",\"addr\":\"0x1\"}"),
            devices(argv, "virtio-iommu"));
        assertEquals("strict=on", argv.get(argv.indexOf(devices(argv, "virtio-iommu").get(0)) - 2),
            "right after -boot, where libvirt puts IOMMUs");
    }

    /** libvirtd 9.0 refuses these at define, with these messages. */
    @Test
    void iommusOutsideQ35OrAVirtioOneWithoutAcpiAreRefusedAsLibvirtRefusesThem() {
        org.jvirtd.api.VirtException e = org.junit.jupiter.api.Assertions.assertThrows(
            org.jvirtd.api.VirtException.class, () -> argv("<iommu model='virtio'/>", "qemu", "q35"));
        assertEquals("unsupported configuration: IOMMU device: 'virtio' requires ACPI", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(org.jvirtd.api.VirtException.class,
            () -> argv("<iommu model='virtio'/>", "qemu", "pc"));
        assertEquals("unsupported configuration: IOMMU device: 'virtio' is only supported with Q35 and ARM Virt "
            + "machines", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(org.jvirtd.api.VirtException.class,
            () -> argv("<iommu model='intel'/>", "qemu", "pc"));
        assertEquals("unsupported configuration: IOMMU device: 'intel' is only supported with Q35 machines",
            e.getMessage());
    }

    /** libvirtd 9.0's argv for qemuxml2xml's channel-virtio-auto input: the controller's ports and vectors. */
    @Test
    void aVirtioSerialControllerPassesItsPortsAndVectors() {
        List<String> argv = argv("<controller type='virtio-serial' index='0' ports='16' vectors='4'/>", "qemu");
        assertEquals(List.of("{\"driver\":\"virtio-serial-pci\",\"id\":\"virtio-serial0\",\"max_ports\":16,"
            + "\"vectors\":4,\"bus\":\"pci.0\",\"addr\":\"0x2\"}"), devices(argv, "virtio-serial"));
    }

    /** libvirtd 9.0's argv for a virtiofs share (domxml-to-native), and its refusal without shared memory. */
    @Test
    void aVirtiofsShareIsTheSocketOfItsVirtiofsdAndVhostUserFs() {
        String share = "<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs' queue='1024'/>"
            + "<source dir='/srv/share'/><target dir='share0'/></filesystem>";
        String xml = "<domain type='qemu'><name>vm1</name><memory unit='MiB'>64</memory><memoryBacking>"
            + "<source type='memfd'/><access mode='shared'/></memoryBacking>"
            + "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>" + share + "</devices></domain>";
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/run/q"), Map.of(), List.of());
        List<String> argv = QemuCommandLine.build(GuestXml.parse(xml, 7), CAPS, conf).args();
        int chardev = argv.indexOf("socket,id=chr-vu-fs0,path=/run/q/domain-7-vm1/fs0-fs.sock");
        assertTrue(chardev > 0, argv.toString());
        assertEquals("{\"driver\":\"vhost-user-fs-pci\",\"id\":\"fs0\",\"chardev\":\"chr-vu-fs0\","
            + "\"queue-size\":1024,\"tag\":\"share0\",\"bus\":\"pci.0\",\"addr\":\"0x2\"}", argv.get(chardev + 2));
        org.jvirtd.api.VirtException e = org.junit.jupiter.api.Assertions.assertThrows(
            org.jvirtd.api.VirtException.class, () -> argv(share, "qemu"));
        assertEquals("unsupported configuration: 'virtiofs' requires shared memory", e.getMessage());
    }

    /** libvirtd 9.0's machine RAM backend (domxml-to-native) for each kind of {@code <memoryBacking>}. */
    @Test
    void theMachineRamBackendFollowsTheMemoryBackingSourceAndAccessAsLibvirtMakesIt() {
        assertEquals("{\"qom-type\":\"memory-backend-memfd\",\"id\":\"pc.ram\",\"share\":true,"
            + "\"x-use-canonical-path-for-ramblock-id\":false,\"size\":67108864}",
            ramBackend("<source type='memfd'/><access mode='shared'/>"));
        assertEquals("{\"qom-type\":\"memory-backend-memfd\",\"id\":\"pc.ram\","
            + "\"x-use-canonical-path-for-ramblock-id\":false,\"size\":67108864}", ramBackend("<source type='memfd'/>"));
        assertEquals("{\"qom-type\":\"memory-backend-file\",\"id\":\"pc.ram\",\"mem-path\":\"/run/q/ram/7-vm1/pc.ram\","
            + "\"share\":true,\"x-use-canonical-path-for-ramblock-id\":false,\"size\":67108864}",
            ramBackend("<access mode='shared'/>"));
        assertEquals("{\"qom-type\":\"memory-backend-file\",\"id\":\"pc.ram\",\"mem-path\":\"/run/q/ram/7-vm1/pc.ram\","
            + "\"share\":false,\"x-use-canonical-path-for-ramblock-id\":false,\"size\":67108864}",
            ramBackend("<access mode='private'/>"));
        assertEquals("{\"qom-type\":\"memory-backend-file\",\"id\":\"pc.ram\",\"mem-path\":\"/run/q/ram/7-vm1/pc.ram\","
            + "\"x-use-canonical-path-for-ramblock-id\":false,\"size\":67108864}", ramBackend("<source type='file'/>"));
        assertEquals("{\"qom-type\":\"memory-backend-ram\",\"id\":\"pc.ram\",\"size\":67108864}", ramBackend(""));
        // qemuxml2xml's memorybacking-set input
        assertEquals("{\"qom-type\":\"memory-backend-file\",\"id\":\"pc.ram\",\"mem-path\":\"/run/q/ram/7-vm1/pc.ram\","
            + "\"share\":true,\"x-use-canonical-path-for-ramblock-id\":false,\"prealloc\":true,\"size\":67108864}",
            ramBackend("<source type='file'/><access mode='shared'/><allocation mode='immediate'/>"));
    }

    private static String ramBackend(String memoryBacking) {
        String xml = "<domain type='qemu'><name>vm1</name><memory unit='MiB'>64</memory><memoryBacking>" + memoryBacking
            + "</memoryBacking><os><type arch='x86_64' machine='pc'>hvm</type></os><devices/></domain>";
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/run/q"), Map.of(), List.of());
        List<String> argv = QemuCommandLine.build(GuestXml.parse(xml, 7), CAPS, conf).args();
        return argv.stream().filter(a -> a.contains("\"id\":\"pc.ram\"")).findFirst().orElseThrow();
    }

    /** libvirtd 9.0's argv for qemuxml2xml's hostdev-vfio and hostdev-mdev-display inputs (domxml-to-native). */
    @Test
    void hostPciAndMediatedDevicesAreVfioPciAfterTheRedirectedUsbDevicesAndOthersAreRefused() {
        List<String> argv = argv("<hostdev mode='subsystem' type='pci' managed='yes'><driver name='vfio'/><source>"
            + "<address domain='0x0000' bus='0x06' slot='0x12' function='0x1'/></source><boot order='2'/></hostdev>"
            + "<hostdev mode='subsystem' type='mdev' model='vfio-pci' display='on'><source>"
            + "<address uuid='53764d0e-85a0-42b4-af5c-2046b460b1dc'/></source></hostdev>", "qemu");
        assertEquals(List.of(
            "{\"driver\":\"vfio-pci\",\"host\":\"0000:06:12.1\",\"id\":\"hostdev0\",\"bootindex\":2,"
                + "\"bus\":\"pci.0\",\"addr\":\"0x2\"}",
            "{\"driver\":\"vfio-pci\",\"id\":\"hostdev1\",\"sysfsdev\":\"/sys/bus/mdev/devices/"
                + "53764d0e-85a0-42b4-af5c-2046b460b1dc\",\"display\":\"on\",\"bus\":\"pci.0\",\"addr\":\"0x3\"}"),
            devices(argv, "vfio-pci"));
        assertTrue(argv.indexOf(devices(argv, "vfio-pci").get(0)) < argv.indexOf(devices(argv, "virtio-balloon").get(0)),
            "before the balloon");
        // libvirtd 9.0's argv for qemuxml2xml's hostdev-usb-address input
        assertEquals(List.of("{\"driver\":\"usb-host\",\"hostdevice\":\"/dev/bus/usb/014/006\",\"id\":\"hostdev0\","
            + "\"guest-reset\":true,\"guest-resets-all\":false,\"bus\":\"usb.0\",\"port\":\"1\"}"),
            devices(argv("<hostdev mode='subsystem' type='usb' managed='no'><source guestReset='uninitialized'>"
                + "<address bus='14' device='6'/></source></hostdev>", "qemu"), "usb-host"));
        org.jvirtd.api.VirtException e = org.junit.jupiter.api.Assertions.assertThrows(
            org.jvirtd.api.VirtException.class, () -> argv("<hostdev mode='subsystem' type='usb'><source>"
                + "<vendor id='0x1234'/><product id='0xbeef'/></source></hostdev>", "qemu"));
        assertEquals("unsupported configuration: jvirtd does not pass host devices of type 'usb' yet", e.getMessage());
    }

    /** libvirtd 9.0's argv for qemuxml2xml's disk-virtio-queues input and a disk with event_idx (domxml-to-native). */
    @Test
    void aVirtioDiskPassesItsQueueSwitchesBeforeItsAddress() {
        List<String> argv = argv("<disk type='file' device='disk'><driver name='qemu' type='raw' queues='4'"
            + " queue_size='256' event_idx='on'/><source file='/var/lib/d.img'/><target dev='vda' bus='virtio'/></disk>",
            "qemu");
        assertEquals(List.of("{\"driver\":\"virtio-blk-pci\",\"event_idx\":true,\"num-queues\":4,\"queue-size\":256,"
            + "\"bus\":\"pci.0\",\"addr\":\"0x2\",\"drive\":\"libvirt-1-format\",\"id\":\"virtio-disk0\",\"bootindex\":1}"),
            devices(argv, "virtio-blk-pci"));
    }

    /** libvirtd 9.0's -cpu for qemuxml2xml's eoi-enabled and pv-spinlock-disabled inputs (domxml-to-native). */
    @Test
    void apicEoiAndPvspinlockAreCpuProperties() {
        String xml = "<domain type='qemu'><name>vm1</name><memory unit='MiB'>64</memory>"
            + "<os><type arch='x86_64' machine='pc'>hvm</type></os><features><acpi/><apic eoi='on'/>"
            + "<pvspinlock state='off'/></features><cpu mode='maximum'/>"
            + "<devices/></domain>";
        QemuConf conf = QemuConf.read(ConfFile.empty("qemu.conf"), Path.of("/run/q"), Map.of(), List.of());
        List<String> argv = QemuCommandLine.build(GuestXml.parse(xml, 7), CAPS, conf).args();
        assertEquals("max,kvm-pv-eoi=on,kvm-pv-unhalt=off", argv.get(argv.indexOf("-cpu") + 1));
    }
}
