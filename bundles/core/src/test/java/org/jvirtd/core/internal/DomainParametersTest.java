package org.jvirtd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.driver.test.TestDriver;

/** Tunables read from a definition (perf, NUMA, IOThreads, bandwidth) and vCPU/pin edits of the persistent one. */
class DomainParametersTest {
    private static final String VM = "<domain type='test'><name>vm</name><memory>131072</memory>"
        + "<vcpu current='1'>3</vcpu><iothreads>2</iothreads>"
        + "<cputune><iothreadpin iothread='2' cpuset='0'/></cputune>"
        + "<numatune><memory mode='interleave' nodeset='0'/></numatune>"
        + "<os><type>hvm</type></os><perf><event name='cmt' enabled='yes'/></perf><devices>"
        + "<interface type='user'><mac address='52:54:00:aa:bb:cc'/><bandwidth><inbound average='1000' "
        + "peak='2000'/><outbound average='500'/></bandwidth></interface></devices></domain>";

    @TempDir
    Path root;
    private DriverDomains domains;
    private DomainRef vm;

    @BeforeEach
    void setUp() {
        TestDriver driver = new TestDriver();
        domains = new DriverDomains("test", new DomainStore("test", DaemonPaths.resolve(root.toString(), true,
            Map.of(), "/nonexistent")), new EventHub(), () -> driver);
        domains.reattachAll(driver);
        vm = domains.define(VM);
    }

    @AfterEach
    void tearDown() {
        domains.close();
    }

    @Test
    void theDefinitionsTunablesComeBackAsLibvirtReportsThem() {
        DomainParameters parameters = new DomainParameters(domains);
        List<TypedParameter> perf = parameters.perfEvents(vm, 0);
        assertEquals(22, perf.size());
        assertEquals(new TypedParameter("cmt", TypedParameter.Type.BOOLEAN, true), perf.get(0));
        assertEquals(List.of(new TypedParameter("numa_mode", TypedParameter.Type.INT, 2),
            new TypedParameter("numa_nodeset", TypedParameter.Type.STRING, "0")), parameters.numaParameters(vm, 0));
        List<Map.Entry<Integer, BitSet>> threads = parameters.iothreadInfo(vm, 0);
        assertEquals(List.of(1, 2), threads.stream().map(Map.Entry::getKey).toList());
        assertEquals(BitSet.valueOf(new long[] {1}), threads.get(1).getValue(), "iothread 2 is pinned to CPU 0");
        List<TypedParameter> bandwidth = parameters.interfaceParameters(vm, "52:54:00:aa:bb:cc", 0);
        assertEquals(List.of(1000, 2000, 0, 0, 500, 0, 0), bandwidth.stream().map(TypedParameter::value).toList());
        VirtException unknown = assertThrows(VirtException.class,
            () -> parameters.interfaceParameters(vm, "vnet9", 0));
        assertEquals("invalid argument: 'vnet9' is not a known interface", unknown.getMessage());
        VirtException live = assertThrows(VirtException.class,
            () -> parameters.numaParameters(vm, DomainFlags.AFFECT_LIVE));
        assertEquals("Requested operation is not valid: domain is not running", live.getMessage());
    }

    @Test
    void vcpuCountsAndPinsChangeThePersistentDefinition() {
        DomainTuning tuning = new DomainTuning(domains);
        assertEquals(3, tuning.vcpuCount(vm, DomainFlags.VCPU_MAXIMUM));
        assertEquals(1, tuning.vcpuCount(vm, 0));
        tuning.setVcpus(vm, 2, DomainFlags.AFFECT_CONFIG);
        assertEquals(2, tuning.vcpuCount(vm, DomainFlags.AFFECT_CONFIG));
        VirtException tooMany = assertThrows(VirtException.class, () -> tuning.setVcpus(vm, 4, 0));
        assertEquals("invalid argument: requested vcpus is greater than max allowable vcpus for the persistent "
            + "domain: 4 > 3", tooMany.getMessage());
        tuning.setVcpus(vm, 1, DomainFlags.AFFECT_CONFIG | DomainFlags.VCPU_MAXIMUM);
        assertEquals(1, tuning.vcpuCount(vm, DomainFlags.VCPU_MAXIMUM));
        assertEquals(1, tuning.vcpuCount(vm, 0), "the online count follows a lower maximum");

        BitSet cpu0 = BitSet.valueOf(new long[] {1});
        tuning.pin(vm, 0, cpu0, DomainFlags.AFFECT_CONFIG);
        tuning.pin(vm, -1, cpu0, 0);
        assertEquals(List.of(cpu0), tuning.vcpuPinInfo(vm, true));
        assertEquals(cpu0, tuning.emulatorPinInfo(vm, true));
        VirtException range = assertThrows(VirtException.class, () -> tuning.pin(vm, 5, cpu0, 0));
        assertEquals("invalid argument: vcpu 5 is out of range of persistent cpu count 1", range.getMessage());
    }
}
