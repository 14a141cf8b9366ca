package org.jvirtd.model.domain;

import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.ScaledInteger;
import org.jvirtd.model.internal.XmlNode;

/**
 * The generic device rules libvirt applies whatever the driver: device order, filesystem, video and controller
 * defaults, and the character-device and graphics rules.
 */
final class DeviceRules {
    private static final List<String> DEVICE_ORDER = List.of("emulator", "disk", "controller", "lease", "filesystem",
        "interface", "smartcard", "serial", "parallel", "console", "channel", "input", "tpm", "graphics", "sound",
        "audio", "video", "hostdev", "redirdev", "redirfilter", "hub", "watchdog", "memballoon", "rng", "nvram",
        "panic", "shmem", "memory", "iommu", "vsock", "crypto");

    private DeviceRules() {
    }

    /** Applies the rules; {@code orderControllers} puts controllers in the order libvirt inserts them as parsed. */
    static void apply(XmlNode devices, boolean orderControllers) {
        controllerIndexes(devices);
        uniqueControllerIndexes(devices);
        companionMasters(devices);
        if (orderControllers) {
            controllersInLibvirtOrder(devices);
        }
        for (XmlNode device : devices.children()) {
            XmlNode boot = device.child("boot");
            if (boot != null && boot.attr("loadparm") != null) {
                boot.set("loadparm", boot.attr("loadparm").toUpperCase(java.util.Locale.ROOT));
            }
            switch (device.name()) {
                case "disk" -> disk(device);
                case "interface" -> {
                    moveFirst(device, "mac");
                    dropIdleCoalesce(device);
                    knownNetModel(device);
                    virtioOnlyDriver(device);
                }
                case "filesystem" -> filesystem(device);
                case "watchdog" -> watchdogModel(device);
                case "redirfilter" -> device.children("usbdev").forEach(DeviceRules::usbdev);
                case "shmem" -> shmem(device);
                case "hostdev" -> hostdev(device);
                case "controller" -> controller(device);
                case "graphics" -> GraphicsRules.apply(device);
                case "serial", "parallel", "console", "channel", "redirdev" -> ChardevRules.apply(device, true);
                case "smartcard" -> {
                    if ("passthrough".equals(device.attr("mode"))) {
                        ChardevRules.apply(device, false);
                    }
                }
                case "rng" -> {
                    XmlNode backend = device.child("backend");
                    if (backend != null && "egd".equals(backend.attr("model"))) {
                        ChardevRules.apply(backend, false);
                    }
                }
                default -> {
                }
            }
        }
        primaryVideoFirst(devices);
        DomainCanonicalizer.sortByOrder(devices, DEVICE_ORDER);
    }

    /**
     * The video marked primary comes first among the videos (libvirt keeps it at index 0); with none marked, the
     * first one is the primary.
     */
    private static void primaryVideoFirst(XmlNode devices) {
        List<XmlNode> videos = devices.children("video");
        if (videos.isEmpty()) {
            return;
        }
        XmlNode primary = videos.stream()
            .filter(v -> v.child("model") != null && "yes".equals(v.child("model").attr("primary")))
            .findFirst().orElse(videos.get(0));
        if (primary != videos.get(0)) {
            int at = devices.children().indexOf(videos.get(0));
            devices.removeIf(c -> c == primary);
            devices.insert(at, primary);
        }
        XmlNode model = primary.child("model");
        if (model != null && !model.has("primary")) {
            model.set("primary", "yes");
        }
    }

    /** The watchdog models libvirt 9.0 knows. */
    private static final List<String> WATCHDOG_MODELS = List.of("i6300esb", "ib700", "diag288");

    private static void watchdogModel(XmlNode watchdog) {
        String model = watchdog.attr("model");
        if (model != null && !WATCHDOG_MODELS.contains(model)) {
            throw Errors.unsupported(ErrorDomain.DOMAIN, "unknown watchdog model '" + model + "'");
        }
    }

    /** Children of a disk that libvirt writes after {@code <readonly/>}. */
    private static final List<String> AFTER_READONLY = List.of("shareable", "transient", "serial", "wwn", "vendor",
        "product", "encryption", "alias", "address");

    /**
     * A disk is device='disk' unless it says otherwise; an empty CD-ROM or floppy drive is of type file; a cdrom
     * is read-only, as libvirt's parser makes them.
     */
    private static void disk(XmlNode disk) {
        if (!disk.has("device")) {
            disk.set("device", "disk");
            disk.orderAttributes(List.of("type", "device"));
        }
        if ("vhostuser".equals(disk.attr("type")) && !disk.has("snapshot")) {
            disk.set("snapshot", "no"); // a vhost-user disk cannot be snapshotted
        }
        boolean removable = "cdrom".equals(disk.attr("device")) || "floppy".equals(disk.attr("device"));
        if (removable && disk.child("source") == null
            && ("network".equals(disk.attr("type")) || "volume".equals(disk.attr("type")))) {
            disk.set("type", "file"); // an empty drive has no network or volume source to speak of
        }
        metadataCacheInBytes(disk);
        for (XmlNode layer = disk; layer != null; layer = layer.child("backingStore")) {
            defaultPorts(layer.child("source"));
        }
        if ("cdrom".equals(disk.attr("device")) && disk.child("readonly") == null) {
            List<XmlNode> children = disk.children();
            int at = 0;
            while (at < children.size() && !AFTER_READONLY.contains(children.get(at).name())) {
                at++;
            }
            disk.insert(at, new XmlNode("readonly", disk.namespace()));
        }
    }

    /**
     * A USB redirection filter rule as libvirt writes it: -1 (any) left out, the class as 0x%02x, vendor and
     * product as 0x%04X, the BCD version as major.minor with two minor digits ("9.4" is 9.40).
     */
    private static void usbdev(XmlNode usbdev) {
        numberAttribute(usbdev, "class", "0x%02x");
        numberAttribute(usbdev, "vendor", "0x%04X");
        numberAttribute(usbdev, "product", "0x%04X");
        String version = usbdev.attr("version");
        if (version != null && version.strip().equals("-1")) {
            usbdev.set("version", null);
        } else if (version != null && version.matches("[0-9a-fA-F]{1,2}\\.[0-9a-fA-F]{1,2}")) {
            String[] parts = version.split("\\.");
            String minor = parts[1].length() == 1 ? parts[1] + "0" : parts[1];
            usbdev.set("version", Integer.toHexString(Integer.parseInt(parts[0], 16)) + "." + minor.toLowerCase());
        }
        usbdev.orderAttributes(List.of("class", "vendor", "product", "version", "allow"));
    }

    private static void numberAttribute(XmlNode element, String attribute, String format) {
        String text = element.attr(attribute);
        if (text == null) {
            return;
        }
        String t = text.strip();
        if (t.equals("-1")) {
            element.set(attribute, null);
            return;
        }
        try {
            long value = t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
            element.set(attribute, String.format(format, value));
        } catch (NumberFormatException e) {
            // left as written: validation reports it
        }
    }

    /** libvirt's default port of each network disk protocol; RBD and NFS have none. */
    private static final java.util.Map<String, String> DEFAULT_PORTS = java.util.Map.ofEntries(
        java.util.Map.entry("http", "80"), java.util.Map.entry("https", "443"), java.util.Map.entry("ftp", "21"),
        java.util.Map.entry("ftps", "990"), java.util.Map.entry("tftp", "69"),
        java.util.Map.entry("sheepdog", "7000"), java.util.Map.entry("nbd", "10809"),
        java.util.Map.entry("ssh", "22"), java.util.Map.entry("iscsi", "3260"),
        java.util.Map.entry("gluster", "24007"), java.util.Map.entry("vxhs", "9999"));

    /** A network source's TCP hosts without a port get their protocol's default one. */
    private static void defaultPorts(XmlNode source) {
        String port = source == null ? null : DEFAULT_PORTS.get(String.valueOf(source.attr("protocol")));
        if (port == null) {
            return;
        }
        for (XmlNode host : source.children("host")) {
            String transport = host.attr("transport");
            if ((transport == null || transport.equals("tcp")) && !host.has("port") && host.has("name")) {
                host.set("port", port);
                host.orderAttributes(List.of("transport", "name", "port", "socket"));
            }
        }
    }

    /** A qcow2 metadata cache size ({@code <driver><metadata_cache><max_size>}) anywhere in the disk, in bytes. */
    private static void metadataCacheInBytes(XmlNode node) {
        for (XmlNode child : node.children()) {
            if (child.is("max_size") && node.is("metadata_cache") && child.text() != null && !child.text().isBlank()) {
                long bytes = ScaledInteger.toBytes(ErrorDomain.DOMAIN, "./driver/metadata_cache/max_size",
                    child.text().strip(), child.attr("unit"), 1, Long.MAX_VALUE);
                child.set("unit", "bytes");
                child.setText(Long.toString(bytes));
            } else {
                metadataCacheInBytes(child);
            }
        }
    }

    /** An iSCSI host device names LUN 0 when its target name names none. */
    private static void hostdev(XmlNode hostdev) {
        XmlNode source = hostdev.child("source");
        String name = source == null ? null : source.attr("name");
        if ("scsi".equals(hostdev.attr("type")) && "iscsi".equals(source == null ? null : source.attr("protocol"))
            && name != null && !name.contains("/")) {
            source.set("name", name + "/0");
        }
    }

    /**
     * The virtio-only settings of a NIC ({@code <driver>}, the vhost device of {@code <backend>}) mean nothing for
     * another model and are dropped, as libvirt reads them only for virtio; a single queue is no queue setting.
     */
    private static void virtioOnlyDriver(XmlNode net) {
        if ("hostdev".equals(net.attr("type"))) {
            return;
        }
        XmlNode model = net.child("model");
        String type = model == null ? null : model.attr("type");
        boolean virtio = type != null && type.startsWith("virtio");
        XmlNode driver = net.child("driver");
        XmlNode backend = net.child("backend");
        if (!virtio) {
            net.removeIf(c -> c == driver);
            if (backend != null) {
                backend.set("vhost", null);
            }
        } else if (driver != null && "1".equals(driver.attr("queues"))) {
            driver.set("queues", null);
        }
    }

    /** A shared memory device is an ivshmem unless it says otherwise; its size is written in MiB. */
    private static void shmem(XmlNode shmem) {
        if (shmem.child("model") == null) {
            shmem.insert(0, new XmlNode("model", null).set("type", "ivshmem"));
        }
        XmlNode size = shmem.child("size");
        if (size != null && size.text() != null && !size.text().isBlank()) {
            long bytes = ScaledInteger.toBytes(ErrorDomain.DOMAIN, "./size[1]", size.text().strip(), size.attr("unit"),
                1, Long.MAX_VALUE);
            size.set("unit", "M");
            size.setText(Long.toString(bytes >> 20));
        }
        DomainCanonicalizer.sortByOrder(shmem, List.of("model", "size", "server", "msi"));
    }

    /** The NIC models libvirt 9.0 knows by name; any other model name is passed through as written. */
    private static final List<String> NET_MODELS = List.of("netfront", "rtl8139", "virtio", "e1000", "e1000e",
        "virtio-transitional", "virtio-non-transitional", "usb-net", "spapr-vlan", "lan9118", "smc91c111", "vlance",
        "vmxnet", "vmxnet2", "vmxnet3", "Am79C970A", "Am79C973", "82540EM", "82545EM", "82543GC");

    /** A known NIC model is matched whatever its case and written in libvirt's spelling. */
    private static void knownNetModel(XmlNode net) {
        XmlNode model = net.child("model");
        String type = model == null ? null : model.attr("type");
        if (type != null) {
            NET_MODELS.stream().filter(type::equalsIgnoreCase).findFirst().ifPresent(m -> model.set("type", m));
        }
    }

    /** libvirt keeps only the rx frame count of {@code <coalesce>} and writes nothing while it is 0. */
    private static void dropIdleCoalesce(XmlNode net) {
        XmlNode coalesce = net.child("coalesce");
        XmlNode rx = coalesce == null ? null : coalesce.child("rx");
        XmlNode frames = rx == null ? null : rx.child("frames");
        String max = frames == null ? null : frames.attr("max");
        if (coalesce != null && (max == null || max.strip().matches("0+"))) {
            net.removeIf(c -> c == coalesce);
        }
    }

    /** Puts a device's first {@code <child>} before its other children, where libvirt writes it. */
    private static void moveFirst(XmlNode device, String child) {
        XmlNode node = device.child(child);
        if (node != null && device.children().indexOf(node) > 0) {
            device.removeIf(c -> c == node);
            device.insert(0, node);
        }
    }

    private static void filesystem(XmlNode fs) {
        String type = fs.attr("type") == null ? "mount" : fs.attr("type");
        XmlNode fsDriver = fs.child("driver");
        boolean virtiofs = fsDriver != null && "virtiofs".equals(fsDriver.attr("type"));
        if (!fs.has("accessmode") && !virtiofs) {
            fs.set("accessmode", "passthrough");
        }
        fs.orderAttributes(List.of("type", "accessmode", "model", "multidevs", "fmode", "dmode"));
        XmlNode source = fs.child("source");
        if ("ram".equals(type) && source != null && source.has("usage")) {
            long bytes = ScaledInteger.toBytes(ErrorDomain.DOMAIN, "./source/@usage", source.attr("usage"),
                source.attr("units"), 1024, Long.MAX_VALUE);
            source.set("usage", Long.toString(bytes / 1024));
            source.set("units", "KiB");
        }
    }

    /** An ICH9 UHCI companion serves its EHCI's ports from 0, 2 or 4 ({@code <master startport>}). */
    private static void companionMasters(XmlNode devices) {
        for (XmlNode c : devices.children("controller")) {
            String model = String.valueOf(c.attr("model"));
            if ("usb".equals(c.attr("type")) && model.matches("ich9-uhci[123]") && c.child("master") == null) {
                int startport = 2 * (model.charAt(model.length() - 1) - '1');
                c.insert(0, new XmlNode("master", null).set("startport", Integer.toString(startport)));
            }
        }
    }

    /**
     * The order libvirt keeps controllers in, inserting each as it is parsed: after the last one of its type with
     * an index not above its own, before the first of its type with a higher index, and a USB master before the
     * companions of its index.
     */
    private static void controllersInLibvirtOrder(XmlNode devices) {
        List<XmlNode> controllers = devices.children("controller");
        if (controllers.stream().anyMatch(c -> !String.valueOf(c.attr("index")).matches("\\d{1,9}"))) {
            return; // left as written: validation reports it
        }
        List<XmlNode> ordered = new java.util.ArrayList<>();
        for (XmlNode c : controllers) {
            int insertAt = -1;
            int index = Integer.parseInt(c.attr("index"));
            for (int i = ordered.size() - 1; i >= 0; i--) {
                XmlNode current = ordered.get(i);
                if (!java.util.Objects.equals(current.attr("type"), c.attr("type"))) {
                    continue;
                }
                int currentIndex = Integer.parseInt(current.attr("index"));
                if (currentIndex > index) {
                    insertAt = i;
                } else if (c.child("master") == null && current.child("master") != null && currentIndex == index) {
                    insertAt = i;
                } else if (insertAt == -1) {
                    insertAt = i + 1;
                }
            }
            ordered.add(insertAt < 0 ? ordered.size() : insertAt, c);
        }
        List<XmlNode> children = devices.children();
        int next = 0;
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i).is("controller") && children.get(i).namespace() == null) {
                children.set(i, ordered.get(next++));
            }
        }
    }

    /** The ICH9 USB2 models that form one controller set: an EHCI and its UHCI companions. */
    private static final List<String> USB2_SET = List.of("ich9-ehci1", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3");

    /**
     * Controllers without an index get the lowest index their type does not use yet, in document order. The
     * exception, as in libvirt: an ICH9 USB2 controller right after another one joins that one's set (takes its
     * index) unless the set already has a controller of its model.
     */
    private static void controllerIndexes(XmlNode devices) {
        List<XmlNode> controllers = devices.children("controller");
        for (int i = 0; i < controllers.size(); i++) {
            XmlNode c = controllers.get(i);
            if (c.has("index")) {
                continue;
            }
            String joined = i > 0 ? usb2SetToJoin(controllers, controllers.get(i - 1), c) : null;
            if (joined != null) {
                c.set("index", joined);
                continue;
            }
            int idx = 0;
            while (indexUsed(controllers, c.attr("type"), idx)) {
                idx++;
            }
            c.set("index", Integer.toString(idx));
        }
    }

    /**
     * Two controllers of one type may not share an index, as libvirt checks at define: only the controllers of an
     * ICH9 USB2 set do.
     */
    private static void uniqueControllerIndexes(XmlNode devices) {
        List<XmlNode> controllers = devices.children("controller");
        for (int i = 0; i < controllers.size(); i++) {
            XmlNode a = controllers.get(i);
            for (XmlNode b : controllers.subList(0, i)) {
                if (a.attr("type") == null || !a.attr("type").equals(b.attr("type"))
                    || !a.attr("index").equals(b.attr("index"))) {
                    continue;
                }
                if (!"usb".equals(a.attr("type"))) {
                    throw Errors.xml(ErrorDomain.DOMAIN, "Multiple '" + a.attr("type") + "' controllers with index '"
                        + a.attr("index") + "'");
                }
                if (!isUsb2(a) || !isUsb2(b)) {
                    throw Errors.xml(ErrorDomain.DOMAIN, "Duplicate USB controllers with index " + a.attr("index"));
                }
            }
        }
    }

    /** The index of the USB2 set {@code previous} belongs to if {@code c} joins it, else null. */
    private static String usb2SetToJoin(List<XmlNode> controllers, XmlNode previous, XmlNode c) {
        if (!isUsb2(c) || !isUsb2(previous) || !previous.has("index")) {
            return null;
        }
        String set = previous.attr("index");
        boolean modelTaken = controllers.stream().anyMatch(o -> isUsb2(o) && set.equals(o.attr("index"))
            && c.attr("model").equals(o.attr("model")));
        return modelTaken ? null : set;
    }

    private static boolean isUsb2(XmlNode controller) {
        String model = controller.attr("model");
        return "usb".equals(controller.attr("type")) && model != null && USB2_SET.contains(model);
    }

    private static boolean indexUsed(List<XmlNode> controllers, String type, int idx) {
        String text = Integer.toString(idx);
        return controllers.stream().anyMatch(c -> text.equals(c.attr("index"))
            && (type == null ? c.attr("type") == null : type.equals(c.attr("type"))));
    }

    private static void controller(XmlNode controller) {
        controller.orderAttributes(List.of("type", "index", "model", "ports", "vectors"));
    }
}
