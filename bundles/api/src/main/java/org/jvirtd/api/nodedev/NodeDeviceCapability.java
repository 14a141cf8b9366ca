package org.jvirtd.api.nodedev;

/**
 * libvirt's node device capability types (virNodeDevCapType) in libvirt's order: the name is what
 * {@code <capability type='...'>}, {@code virsh nodedev-list --cap} and virNodeDeviceListCaps use, and the
 * position gives the VIR_CONNECT_LIST_NODE_DEVICES_CAP_* filter bit.
 */
public enum NodeDeviceCapability {
    SYSTEM("system"), PCI("pci"), USB_DEVICE("usb_device"), USB_INTERFACE("usb"), NET("net"),
    SCSI_HOST("scsi_host"), SCSI_TARGET("scsi_target"), SCSI("scsi"), STORAGE("storage"), FC_HOST("fc_host"),
    VPORTS("vports"), SCSI_GENERIC("scsi_generic"), DRM("drm"), MDEV_TYPES("mdev_types"), MDEV("mdev"),
    CCW("ccw"), CSS("css"), VDPA("vdpa"), AP_CARD("ap_card"), AP_QUEUE("ap_queue"), AP_MATRIX("ap_matrix"),
    VPD("vpd");

    private final String xmlName;

    NodeDeviceCapability(String xmlName) {
        this.xmlName = xmlName;
    }

    public String xmlName() {
        return xmlName;
    }

    /** The VIR_CONNECT_LIST_NODE_DEVICES_CAP_* bit that selects devices with this capability. */
    public int listFlag() {
        return 1 << ordinal();
    }

    /** The capability of this name, or null. */
    public static NodeDeviceCapability fromXml(String name) {
        for (NodeDeviceCapability cap : values()) {
            if (cap.xmlName.equals(name)) {
                return cap;
            }
        }
        return null;
    }
}
