package org.jvirtd.driver.qemu.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jvirtd.driver.qemu.internal.caps.QemuCaps;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.driver.qemu.internal.guest.GuestXml;
import org.jvirtd.platform.conf.ConfFile;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {
    private static final QemuCaps CAPS = new QemuCaps("/usr/bin/qemu-system-x86_64", "x86_64", 7_002_000,
        Set.of("device.json+hotplug", "netdev.json", "object.qapified", "seccomp-sandbox", "piix3-usb-uhci", "kvm"),
        List.of(new QemuCaps.Machine("kvm", "pc-i440fx-7.2", "pc", true, null, "pc.ram", 255),
            new QemuCaps.Machine("tcg", "pc-i440fx-7.2", "pc", true, null, "pc.ram", 255)),
        List.of());

    private static List<String> argv(String devices, String type) {
        String xml = "<domain type='" + type + "'><name>vm1</name><memory unit='MiB'>64</memory>"
            + "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>" + devices + "</devices></domain>";
        QemuConf conf = QemuConf.read(ConfFile.parse("qemu.conf", "vnc_listen = \"0.0.0.0\"\n"), Path.of("/run/q"),
            Map.of(), List.of());
        return QemuCommandLine.build(GuestXml.parse(xml, 7), CAPS, conf).args();
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
}
