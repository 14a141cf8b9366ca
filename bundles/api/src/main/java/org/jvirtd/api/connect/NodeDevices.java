package org.jvirtd.api.connect;

import java.util.List;
import java.util.function.Consumer;

import org.jvirtd.api.nodedev.NodeDeviceEvent;
import org.osgi.annotation.versioning.ProviderType;

/**
 * libvirt's node device API (virNodeDevice*), what virsh's nodedev-* commands and the RPC server use: the
 * host's devices, named as libvirt names them ({@code pci_0000_00_02_0}, {@code net_eth0_...}). Every method
 * throws {@link org.jvirtd.api.VirtException} with libvirt's code and message on failure; flag values are in
 * {@link org.jvirtd.api.nodedev.NodeDeviceFlags}.
 */
@ProviderType
public interface NodeDevices {
    /** virConnectListAllNodeDevices: names of the devices matching the filter flags (0: all), sorted. */
    List<String> listAll(int flags);

    /** virNodeListDevices: names of the devices with this capability (null: all), sorted. */
    List<String> list(String capability, int flags);

    /** virNodeDeviceLookupByName: the name when the device exists, else "Node device not found". */
    String lookupByName(String name);

    /** virNodeDeviceGetXMLDesc. */
    String xml(String name, int flags);

    /** virNodeDeviceGetParent: the parent's name, null for the root device. */
    String parent(String name);

    /** virNodeDeviceListCaps: the device's capability names, nested ones (fc_host, vports, ...) included. */
    List<String> capabilities(String name);

    /** virNodeDeviceIsActive. */
    boolean isActive(String name);

    /** virNodeDeviceIsPersistent. */
    boolean isPersistent(String name);

    /** virNodeDeviceGetAutostart. */
    boolean autostart(String name);

    /**
     * Events of the host's devices (virConnectNodeDeviceEventRegisterAny) until the returned handle is
     * closed: a device that appears is CREATED, one that goes away DELETED.
     */
    AutoCloseable subscribe(Consumer<NodeDeviceEvent> listener);

    /**
     * virNodeDeviceDetachFlags (virNodeDeviceDettach with a null driver): hands a PCI device to {@code driverName}
     * ("vfio" when null) for assignment to guests.
     */
    default void detach(String name, String driverName, int flags) {
        throw org.jvirtd.api.VirtErrors.noSupport("virNodeDeviceDetachFlags");
    }

    /** virNodeDeviceReAttach: gives a detached PCI device back to its host driver. */
    default void reattach(String name) {
        throw org.jvirtd.api.VirtErrors.noSupport("virNodeDeviceReAttach");
    }

    /** virNodeDeviceReset: resets a PCI device (function level, power management or secondary bus reset). */
    default void reset(String name) {
        throw org.jvirtd.api.VirtErrors.noSupport("virNodeDeviceReset");
    }
}
