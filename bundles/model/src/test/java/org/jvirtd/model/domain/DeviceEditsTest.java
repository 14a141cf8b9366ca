package org.jvirtd.model.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jvirtd.api.VirtException;
import org.junit.jupiter.api.Test;

/** Persistent device changes and libvirt's refusals, messages as libvirt 9.0 words them (checked against it). */
class DeviceEditsTest {
    private static final String DOMAIN = "<domain type='qemu'><name>d</name><memory>131072</memory>"
        + "<os><type arch='x86_64'>hvm</type></os><devices>"
        + "<disk type='file' device='disk'><source file='/a.raw'/><target dev='vda' bus='virtio'/></disk>"
        + "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>"
        + "<interface type='network'><mac address='52:54:00:11:22:33'/><source network='default'/></interface>"
        + "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>"
        + "</devices></domain>";

    @Test
    void attachAddsADeviceAndRefusesATakenTarget() {
        String xml = DeviceEdits.attach(DOMAIN, "<disk type='file'><source file='/b.raw'/><target dev='vdb' "
            + "bus='virtio'/></disk>");
        assertTrue(DomainXml.format(DomainXml.parse(xml), -1, 0).contains("<disk type='file' device='disk'>"),
            "a disk without device is a disk, as libvirt writes it");
        VirtException taken = assertThrows(VirtException.class, () -> DeviceEdits.attach(DOMAIN,
            "<disk type='file'><source file='/b.raw'/><target dev='vda' bus='virtio'/></disk>"));
        assertEquals("Requested operation is not valid: target vda already exists", taken.getMessage());
    }

    @Test
    void detachFindsDisksByTargetInterfacesByMacAndOtherDevicesByTheirElement() {
        assertFalse(DeviceEdits.detach(DOMAIN, "<disk type='file'><target dev='vda'/></disk>").contains("/a.raw"));
        assertFalse(DeviceEdits.detach(DOMAIN, "<interface type='network'><mac address='52:54:00:11:22:33'/>"
            + "</interface>").contains("52:54:00:11:22:33"));
        assertFalse(DeviceEdits.detach(DOMAIN, "<rng model='virtio'><backend model='random'>/dev/urandom</backend>"
            + "</rng>").contains("<rng"));
        VirtException disk = assertThrows(VirtException.class,
            () -> DeviceEdits.detach(DOMAIN, "<disk type='file'><target dev='vdz'/></disk>"));
        assertEquals("device not found: no target device vdz", disk.getMessage());
        VirtException nic = assertThrows(VirtException.class, () -> DeviceEdits.detach(DOMAIN,
            "<interface type='network'><mac address='52:54:00:99:99:99'/></interface>"));
        assertEquals("device not found: no device found at address '(<null>)' matching MAC address "
            + "'52:54:00:99:99:99' and alias '(<null>)'", nic.getMessage());
        VirtException rng = assertThrows(VirtException.class, () -> DeviceEdits.detach(DOMAIN,
            "<rng model='virtio'><backend model='random'>/dev/random</backend></rng>"));
        assertEquals("device not found: no matching RNG device was found", rng.getMessage());
    }

    @Test
    void updateChangesAMediumAndNothingElse() {
        String inserted = DeviceEdits.update(DOMAIN, "<disk type='file' device='cdrom'><source file='/x.iso'/>"
            + "<target dev='hdc' bus='ide'/></disk>");
        assertTrue(inserted.contains("<source file='/x.iso'/>"), inserted);
        VirtException missing = assertThrows(VirtException.class, () -> DeviceEdits.update(DOMAIN,
            "<disk type='file' device='cdrom'><target dev='hdd' bus='ide'/></disk>"));
        assertEquals("invalid argument: target hdd doesn't exist.", missing.getMessage());
        VirtException rng = assertThrows(VirtException.class, () -> DeviceEdits.update(DOMAIN,
            "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>"));
        assertEquals("Operation not supported: persistent update of device 'rng' is not supported", rng.getMessage());
    }

    @Test
    void aDeviceIsFoundByItsAlias() {
        String withAlias = DOMAIN.replace("<rng model='virtio'>", "<rng model='virtio'><alias name='ua-rng'/>");
        assertTrue(DeviceEdits.byAlias(withAlias, "ua-rng").startsWith("<rng model='virtio'>"));
        VirtException none = assertThrows(VirtException.class, () -> DeviceEdits.byAlias(withAlias, "ua-x"));
        assertEquals("device not found: no device found with alias ua-x", none.getMessage());
    }
}
