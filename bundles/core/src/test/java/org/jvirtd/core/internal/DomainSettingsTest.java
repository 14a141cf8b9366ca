package org.jvirtd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.core.config.DaemonPaths;
import org.jvirtd.driver.test.TestDriver;

/**
 * The settings calls on the test driver, whose live definition is the guest: IOThreads, disk throttles, NUMA,
 * bandwidth, perf, lifecycle actions, setvcpu and rename, with libvirt 9.0's messages (taken from a libvirtd 9.0
 * peer for the same calls).
 */
class DomainSettingsTest {
    private static final String VM = "<domain type='test'><name>vm</name><memory>131072</memory>"
        + "<vcpu current='1'>3</vcpu><iothreads>1</iothreads><os><type>hvm</type></os><devices>"
        + "<disk type='file' device='disk'><driver name='qemu' type='raw' iothread='1'/>"
        + "<source file='/var/lib/d.raw'/><target dev='vda' bus='virtio'/></disk>"
        + "<interface type='user'><mac address='52:54:00:aa:bb:cc'/><model type='virtio'/></interface>"
        + "</devices></domain>";

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
        if (domains != null) {
            domains.close();
        }
    }

    private String config() {
        return domains.locked(vm, (d, hv) -> d.persistentXml());
    }

    private String live() {
        return domains.locked(vm, (d, hv) -> d.currentXml());
    }

    @Test
    void iothreadsAreAddedPinnedTunedAndRemovedWithLibvirtsChecks() {
        IothreadTuning iothreads = new IothreadTuning(domains);
        iothreads.add(vm, 3, 0);
        assertTrue(config().contains("<iothreads>2</iothreads>"), config());
        assertTrue(config().contains("<iothread id='1'/>") && config().contains("<iothread id='3'/>"), config());
        VirtException twice = assertThrows(VirtException.class, () -> iothreads.add(vm, 3, 0));
        assertEquals("invalid argument: an IOThread is already using iothread_id '3'", twice.getMessage());
        VirtException zero = assertThrows(VirtException.class, () -> iothreads.add(vm, 0, 0));
        assertEquals("invalid argument: invalid value of 0 for iothread_id", zero.getMessage());
        VirtException notRunning = assertThrows(VirtException.class,
            () -> iothreads.add(vm, 4, DomainFlags.AFFECT_LIVE));
        assertEquals("Requested operation is not valid: domain is not running", notRunning.getMessage());

        iothreads.pin(vm, 3, BitSet.valueOf(new long[] {1}), 0);
        assertTrue(config().contains("<iothreadpin iothread='3' cpuset='0'/>"), config());
        VirtException unknownPin = assertThrows(VirtException.class,
            () -> iothreads.pin(vm, 9, BitSet.valueOf(new long[] {1}), 0));
        assertEquals("invalid argument: iothreadid 9 not found", unknownPin.getMessage());

        iothreads.setParams(vm, 3, List.of(new TypedParameter("thread_pool_min", TypedParameter.Type.INT, 2),
            new TypedParameter("thread_pool_max", TypedParameter.Type.INT, 3)), 0);
        assertTrue(config().contains("<iothread id='3' thread_pool_min='2' thread_pool_max='3'/>"), config());
        VirtException polling = assertThrows(VirtException.class, () -> iothreads.setParams(vm, 3,
            List.of(TypedParameter.ofUllong("poll_max_ns", 5)), 0));
        assertEquals("Operation not supported: configuring persistent polling values is not supported",
            polling.getMessage());
        VirtException unknown = assertThrows(VirtException.class, () -> iothreads.setParams(vm, 3,
            List.of(TypedParameter.ofUint("nosuch", 5)), 0));
        assertEquals(ErrorCode.ARGUMENT_UNSUPPORTED, unknown.code());
        VirtException pool = assertThrows(VirtException.class, () -> iothreads.setParams(vm, 3,
            List.of(new TypedParameter("thread_pool_min", TypedParameter.Type.INT, 5)), 0));
        assertEquals("Requested operation is not valid: thread_pool_min (5) can't be greater than thread_pool_max "
            + "(3)", pool.getMessage());

        VirtException used = assertThrows(VirtException.class, () -> iothreads.delete(vm, 1, 0));
        assertEquals("invalid argument: cannot remove IOThread 1 since it is being used by disk 'vda'",
            used.getMessage());
        iothreads.delete(vm, 3, 0);
        assertTrue(config().contains("<iothreads>1</iothreads>"), config());
        assertFalse(config().contains("iothreadpin"), config());
        VirtException gone = assertThrows(VirtException.class, () -> iothreads.delete(vm, 3, 0));
        assertEquals("invalid argument: cannot find IOThread '3' in iothreadids list", gone.getMessage());

        domains.create(vm, 0);
        iothreads.add(vm, 5, DomainFlags.AFFECT_LIVE);
        assertTrue(live().contains("<iothread id='5'/>"), live());
        assertFalse(config().contains("<iothread id='5'/>"), "a live change leaves the config alone");
        VirtException liveUnknown = assertThrows(VirtException.class,
            () -> iothreads.pin(vm, 9, BitSet.valueOf(new long[] {1}), DomainFlags.AFFECT_LIVE));
        assertEquals("invalid argument: iothread 9 not found", liveUnknown.getMessage());
    }

    @Test
    void aThrottleFamilyGivenReplacesTheWholeFamily() {
        BlockIoTune tune = new BlockIoTune(domains);
        tune.set(vm, "vda", List.of(TypedParameter.ofUllong("total_bytes_sec", 1000000)), 0);
        assertTrue(config().contains("<iotune><total_bytes_sec>1000000</total_bytes_sec></iotune>")
            || config().contains("<total_bytes_sec>1000000</total_bytes_sec>"), config());
        tune.set(vm, "vda", List.of(TypedParameter.ofUllong("read_bytes_sec", 10),
            TypedParameter.ofUllong("total_iops_sec", 100), TypedParameter.ofUllong("total_iops_sec_max", 200),
            new TypedParameter("group_name", TypedParameter.Type.STRING, "g1")), 0);
        List<TypedParameter> now = tune.get(vm, "vda", CoreConnection.TYPED_PARAM_STRING_OKAY);
        assertEquals(BlockIoTune.FIELDS, now.stream().map(TypedParameter::field).toList());
        Map<String, Object> values = new java.util.HashMap<>();
        now.forEach(p -> values.put(p.field(), p.value()));
        assertEquals(0L, values.get("total_bytes_sec"), "giving read_bytes_sec resets the rest of its family");
        assertEquals(10L, values.get("read_bytes_sec"));
        assertEquals(200L, values.get("total_iops_sec_max"));
        assertEquals("g1", values.get("group_name"));
        assertEquals(20, tune.get(vm, "vda", 0).size(), "group_name also for a caller that did not say strings");

        VirtException both = assertThrows(VirtException.class, () -> tune.set(vm, "vda",
            List.of(TypedParameter.ofUllong("total_bytes_sec", 1), TypedParameter.ofUllong("read_bytes_sec", 1)), 0));
        assertEquals("invalid argument: total and read/write of bytes_sec cannot be set at the same time",
            both.getMessage());
        VirtException huge = assertThrows(VirtException.class, () -> tune.set(vm, "vda",
            List.of(TypedParameter.ofUllong("total_bytes_sec", 1_000_000_000_000_000_000L)), 0));
        assertEquals("argument unsupported: block I/O throttle limit value must be no more than "
            + "1000000000000000", huge.getMessage());
        VirtException noDisk = assertThrows(VirtException.class, () -> tune.get(vm, "vdz", 0));
        assertEquals("invalid argument: disk 'vdz' not found in domain", noDisk.getMessage());

        domains.create(vm, 0);
        VirtException reset = assertThrows(VirtException.class, () -> tune.set(vm, "vda",
            List.of(TypedParameter.ofUllong("total_iops_sec", 0)), DomainFlags.AFFECT_LIVE));
        assertEquals("unsupported configuration: cannot reset 'total_iops_sec' when 'total_iops_sec_max' is set",
            reset.getMessage());
        VirtException smaller = assertThrows(VirtException.class, () -> tune.set(vm, "vda",
            List.of(TypedParameter.ofUllong("total_bytes_sec", 100), TypedParameter.ofUllong("total_bytes_sec_max",
                10)), DomainFlags.AFFECT_LIVE));
        assertEquals("unsupported configuration: value 'total_bytes_sec_max' cannot be smaller than "
            + "'total_bytes_sec'", smaller.getMessage());
    }

    @Test
    void numaBandwidthPerfAndLifecycleGoIntoTheDefinition() {
        DefinitionTuning tuning = new DefinitionTuning(domains);
        tuning.setNuma(vm, List.of(new TypedParameter("numa_mode", TypedParameter.Type.INT, 1),
            new TypedParameter("numa_nodeset", TypedParameter.Type.STRING, "0")), 0);
        assertTrue(config().contains("<numatune><memory mode='preferred' nodeset='0'/></numatune>")
            || config().contains("<memory mode='preferred' nodeset='0'/>"), config());
        VirtException mode = assertThrows(VirtException.class, () -> tuning.setNuma(vm,
            List.of(new TypedParameter("numa_mode", TypedParameter.Type.INT, 9)), 0));
        assertEquals("invalid argument: unsupported numatune mode: '9'", mode.getMessage());

        tuning.setBandwidth(vm, "52:54:00:aa:bb:cc", List.of(TypedParameter.ofUint("inbound.average", 100),
            TypedParameter.ofUint("inbound.peak", 200), TypedParameter.ofUint("outbound.average", 10)), 0);
        assertTrue(config().contains("<inbound average='100' peak='200'/>"), config());
        assertTrue(config().contains("<outbound average='10'/>"), config());
        tuning.setBandwidth(vm, "52:54:00:aa:bb:cc", List.of(TypedParameter.ofUint("inbound.average", 0)), 0);
        assertFalse(config().contains("<inbound"), "an inbound without average goes: " + config());
        assertTrue(config().contains("<outbound average='10'/>"), "the other direction stays: " + config());
        VirtException unknown = assertThrows(VirtException.class, () -> tuning.setBandwidth(vm, "vnet9",
            List.of(TypedParameter.ofUint("inbound.average", 1)), 0));
        assertEquals("invalid argument: 'vnet9' is not a known interface", unknown.getMessage());

        tuning.setPerfEvents(vm, List.of(new TypedParameter("cpu_cycles", TypedParameter.Type.BOOLEAN, 1),
            new TypedParameter("instructions", TypedParameter.Type.BOOLEAN, 0)), 0);
        assertTrue(config().contains("<event name='cpu_cycles' enabled='yes'/>"), config());
        assertTrue(config().contains("<event name='instructions' enabled='no'/>"), config());

        tuning.setLifecycleAction(vm, 2, 4, 0);
        assertTrue(config().contains("<on_crash>coredump-destroy</on_crash>"), config());
        VirtException type = assertThrows(VirtException.class, () -> tuning.setLifecycleAction(vm, 7, 0, 0));
        assertEquals("invalid argument: invalid lifecycle type '7'", type.getMessage());
    }

    @Test
    void setvcpuKeepsTheOnlineCountOfTheDefinition() {
        DomainTuning tuning = new DomainTuning(domains);
        tuning.setVcpu(vm, "1", true, DomainFlags.AFFECT_CONFIG);
        assertEquals(2, tuning.vcpuCount(vm, DomainFlags.AFFECT_CONFIG));
        VirtException zero = assertThrows(VirtException.class,
            () -> tuning.setVcpu(vm, "0-1", true, DomainFlags.AFFECT_CONFIG));
        assertEquals("invalid argument: vCPU '0' can't be modified", zero.getMessage());
        VirtException absent = assertThrows(VirtException.class,
            () -> tuning.setVcpu(vm, "7", true, DomainFlags.AFFECT_CONFIG));
        assertEquals("invalid argument: vcpu 7 is not present in persistent config", absent.getMessage());
        tuning.setVcpu(vm, "1", false, DomainFlags.AFFECT_CONFIG);
        assertEquals(1, tuning.vcpuCount(vm, DomainFlags.AFFECT_CONFIG));
        VirtException gap = assertThrows(VirtException.class,
            () -> tuning.setVcpu(vm, "2", true, DomainFlags.AFFECT_CONFIG));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, gap.code(), "vCPUs 0 and 2 online is not a count");
    }

    @Test
    void renameMovesTheDefinitionAndRefusesWhatLibvirtRefuses() throws Exception {
        domains.define(VM.replace("<name>vm</name>", "<name>other</name>"));
        VirtException taken = assertThrows(VirtException.class, () -> domains.rename(vm, "other"));
        assertEquals("Requested operation is not valid: domain with name 'other' already exists",
            taken.getMessage());
        VirtException itself = assertThrows(VirtException.class, () -> domains.rename(vm, "vm"));
        assertEquals("Requested operation is not valid: Can't rename domain to itself", itself.getMessage());
        VirtException slash = assertThrows(VirtException.class, () -> domains.rename(vm, "a/b"));
        assertEquals("XML error: name a/b cannot contain '/'", slash.getMessage());

        DomainRef renamed = domains.rename(vm, "vm2");
        assertEquals("vm2", renamed.name());
        assertEquals(vm.uuid(), renamed.uuid());
        assertTrue(domains.locked(renamed, (d, hv) -> d.persistentXml()).contains("<name>vm2</name>"));

        domains.create(renamed, 0);
        VirtException active = assertThrows(VirtException.class, () -> domains.rename(renamed, "vm3"));
        assertEquals("Requested operation is not valid: cannot rename active domain", active.getMessage());

        domains.close();
        domains = null;
        List<String> stored = new DomainStore("test", DaemonPaths.resolve(root.toString(), true, Map.of(),
            "/nonexistent")).load().stream().map(DomainObject::name).sorted().toList();
        assertEquals(List.of("other", "vm2"), stored, "the config file moved to the new name");
    }
}
