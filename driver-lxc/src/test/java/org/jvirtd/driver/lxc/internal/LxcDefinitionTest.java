package org.jvirtd.driver.lxc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.jvirtd.api.VirtException;
import org.junit.jupiter.api.Test;

/** What the LXC driver accepts and completes at define time, and what a run reads from a definition. */
class LxcDefinitionTest {
    private final LxcDriver driver = new LxcDriver();

    @Test
    void aConsoleWithoutTargetGetsLibvirtsLxcTarget() {
        String stored = driver.validateDefinition(BusyboxContainer.domainXml("d1", Path.of("/srv/ct"), 64, "/sbin/init",
            "").replace("      <target type='lxc' port='0'/>\n", ""));
        assertTrue(stored.contains("<console type='pty'>\n      <target type='lxc' port='0'/>\n    </console>"), stored);
    }

    @Test
    void otherDomainTypesAndOsTypesAreRefusedAsLibvirtRefusesThem() {
        VirtException kvm = assertThrows(VirtException.class, () -> driver.validateDefinition(
            "<domain type='kvm'><name>k</name><memory>65536</memory><os><type>hvm</type></os></domain>"));
        assertEquals("invalid argument: could not find capabilities for domaintype=kvm", kvm.getMessage());
        VirtException hvm = assertThrows(VirtException.class, () -> driver.validateDefinition(
            "<domain type='lxc'><name>k</name><memory>65536</memory><os><type>hvm</type></os></domain>"));
        assertEquals("invalid argument: could not find capabilities for os type 'hvm'", hvm.getMessage());
    }

    @Test
    void aRunReadsInitItsArgumentsEnvironmentMountsLimitAndInterfaces() {
        ContainerDef def = ContainerDef.parse("<domain type='lxc'><name>c</name><uuid>"
            + "c7a5fdbd-cdaf-9455-926a-d65c16db1809</uuid><memory unit='MiB'>64</memory><memtune><hard_limit unit='KiB'>"
            + "32768</hard_limit></memtune><os><type>exe</type><init>/bin/sh</init><initarg>-c</initarg>"
            + "<initarg>echo hi</initarg><initenv name='A'>b</initenv><initdir>/tmp</initdir></os><devices>"
            + "<filesystem type='mount'><source dir='/srv/root'/><target dir='/'/></filesystem>"
            + "<filesystem type='mount'><source dir='/srv/data'/><target dir='/data'/><readonly/></filesystem>"
            + "<interface type='bridge'><mac address='52:54:00:00:00:01'/><source bridge='br0'/>"
            + "<target dev='vethx'/></interface></devices></domain>");
        assertEquals("/bin/sh", def.init());
        assertEquals(List.of("-c", "echo hi"), def.initArgs());
        assertEquals("b", def.initEnv().get("A"));
        assertEquals("/tmp", def.initDir());
        assertEquals(new ContainerDef.Mount("/srv/root", "/", false), def.rootMount());
        assertEquals(new ContainerDef.Mount("/srv/data", "/data", true), def.mounts().get(1));
        assertEquals(65536, def.memoryKiB());
        assertEquals(32768, def.limitKiB(), "memtune's hard limit before the memory size");
        assertEquals(List.of(new ContainerDef.Nic("bridge", "br0", "52:54:00:00:00:01", "vethx")), def.nics());
    }

    @Test
    void capabilitiesNameExeGuestsAndTheKernelIsTheVersion() {
        String caps = LxcCapabilities.xml("amd64");
        assertTrue(caps.contains("<os_type>exe</os_type>") && caps.contains("<arch name='x86_64'>")
            && caps.contains("<arch name='i686'>") && caps.contains("<domain type='lxc'/>"), caps);
        assertEquals(6_001_000, LxcCapabilities.kernelVersion("6.1.0-18-amd64"));
        assertEquals(6_018_044, LxcCapabilities.kernelVersion("6.18.44-fc-v1147"));
    }
}
