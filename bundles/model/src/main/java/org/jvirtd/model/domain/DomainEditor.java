package org.jvirtd.model.domain;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.jvirtd.model.internal.XmlNode;

/**
 * Edits a domain document in place, keeping every attribute in document order, for drivers that fill in
 * what a run decides (graphics ports and listens, device aliases); devices are named by element and index.
 */
public final class DomainEditor {
    private final XmlNode root;

    private DomainEditor(XmlNode root) {
        this.root = root;
    }

    public static DomainEditor of(String xml) {
        return new DomainEditor(DomainXml.parse(xml).document());
    }

    /** How many {@code <element>} devices there are. */
    public int count(String element) {
        return devices(element).size();
    }

    /** An attribute of a device, or of its first {@code child} when that is not null; null when absent. */
    public String attr(String element, int index, String child, String attribute) {
        XmlNode device = devices(element).get(index);
        XmlNode node = child == null ? device : device.child(child);
        return node == null ? null : node.attr(attribute);
    }

    /** Sets an attribute of a device; null removes it. */
    public void setAttr(String element, int index, String attribute, String value) {
        devices(element).get(index).set(attribute, value);
    }

    /** Replaces the device's first {@code <child>}, or puts one first, with these attributes in this order. */
    public void setFirstChild(String element, int index, String child, Map<String, String> attributes) {
        XmlNode device = devices(element).get(index);
        XmlNode node = new XmlNode(child, null);
        attributes.forEach(node::set);
        List<XmlNode> children = device.children();
        XmlNode old = device.child(child);
        if (old == null) {
            device.insert(0, node);
        } else {
            device.insert(children.indexOf(old), node);
            device.removeIf(c -> c == old);
        }
    }

    /**
     * Replaces the device's {@code <child>} elements by the element written in {@code fragment} (removes them
     * when it is null), placed where the old one was, or else before the first {@code <before>} child, or last.
     */
    public void replaceChild(String element, int index, String child, String fragment, String before) {
        XmlNode device = devices(element).get(index);
        List<XmlNode> children = device.children();
        XmlNode old = device.child(child);
        XmlNode anchor = device.child(before);
        int at = old != null ? children.indexOf(old) : anchor != null ? children.indexOf(anchor) : children.size();
        device.removeIf(c -> child.equals(c.name()));
        if (fragment != null) {
            device.insert(at, XmlNode.parse(fragment, org.jvirtd.api.ErrorDomain.DOMAIN, "device"));
        }
    }

    /** Gives a device an alias, placed before its address as libvirt writes it, unless it has one. */
    public void addAlias(String element, int index, String name) {
        XmlNode device = devices(element).get(index);
        if (device.child("alias") != null) {
            return;
        }
        XmlNode alias = new XmlNode("alias", null).set("name", name);
        XmlNode address = device.child("address");
        device.insert(address == null ? device.children().size() : device.children().indexOf(address), alias);
    }

    /** {@code <os firmware=...>}: efi, bios or null. */
    public String osFirmware() {
        XmlNode os = root.child("os");
        return os == null ? null : os.attr("firmware");
    }

    /** Whether {@code <os>} names a loader. */
    public boolean hasLoader() {
        XmlNode os = root.child("os");
        XmlNode loader = os == null ? null : os.child("loader");
        return loader != null && loader.text() != null && !loader.text().isBlank();
    }

    /** The {@code secure} attribute of {@code <os><loader>}, null when absent. */
    public String loaderSecure() {
        XmlNode os = root.child("os");
        XmlNode loader = os == null ? null : os.child("loader");
        return loader == null ? null : loader.attr("secure");
    }

    /** The NVRAM file {@code <os><nvram>} names, null when none. */
    public String nvramPath() {
        XmlNode os = root.child("os");
        XmlNode nvram = os == null ? null : os.child("nvram");
        return nvram == null || nvram.text() == null || nvram.text().isBlank() ? null : nvram.text().strip();
    }

    /** Whether a read-only pflash {@code <loader>} has an {@code <nvram>} without a file (or none at all). */
    public boolean needsNvramPath() {
        XmlNode os = root.child("os");
        XmlNode loader = os == null ? null : os.child("loader");
        if (loader == null || !"pflash".equals(loader.attr("type")) || !"yes".equals(loader.attr("readonly"))) {
            return false;
        }
        XmlNode nvram = os.child("nvram");
        return nvram == null || nvram.text() == null || nvram.text().isBlank();
    }

    /** Names the NVRAM file of the loader, adding {@code <nvram>} after {@code <loader>} when there is none. */
    public void setNvramPath(String path) {
        XmlNode os = root.child("os");
        XmlNode nvram = os.child("nvram");
        if (nvram == null) {
            nvram = new XmlNode("nvram", null);
            os.insert(os.children().indexOf(os.child("loader")) + 1, nvram);
        }
        nvram.setText(path);
    }

    /** The firmware features asked for in {@code <os><firmware>}: name to enabled. */
    public Map<String, Boolean> firmwareFeatures() {
        Map<String, Boolean> result = new java.util.LinkedHashMap<>();
        XmlNode os = root.child("os");
        XmlNode firmware = os == null ? null : os.child("firmware");
        if (firmware != null) {
            firmware.children("feature").forEach(f -> result.put(f.attr("name"), "yes".equals(f.attr("enabled"))));
        }
        return result;
    }

    /** The state attribute of a hypervisor feature ({@code <features><smm state='off'/>}), null when absent. */
    public String featureState(String feature) {
        XmlNode features = root.child("features");
        XmlNode node = features == null ? null : features.child(feature);
        return node == null ? null : node.attr("state");
    }

    /**
     * Writes a chosen firmware as libvirt does when it fills in {@code <os firmware='efi'>} at start: the
     * firmware attribute goes, a pflash loader (secure='yes' for secure boot) and the NVRAM with its template
     * follow {@code <type>} and {@code <firmware>}, and firmware that needs SMM gets {@code <smm state='on'/>}.
     */
    public void useFirmware(String loader, boolean secure, String nvram, String nvramTemplate, boolean smm) {
        XmlNode os = root.child("os");
        os.set("firmware", null);
        os.removeIf(n -> n.is("loader") || n.is("nvram"));
        XmlNode loaderNode = new XmlNode("loader", null).set("readonly", "yes").set("secure", secure ? "yes" : null)
            .set("type", "pflash");
        loaderNode.setText(loader);
        XmlNode nvramNode = new XmlNode("nvram", null).set("template", nvramTemplate);
        nvramNode.setText(nvram);
        XmlNode after = os.child("firmware") != null ? os.child("firmware") : os.child("type");
        int at = os.children().indexOf(after) + 1;
        os.insert(at, loaderNode);
        os.insert(at + 1, nvramNode);
        if (smm) {
            XmlNode features = root.child("features");
            if (features == null) {
                features = new XmlNode("features", null);
                root.insert(root.children().indexOf(os) + 1, features);
            }
            features.removeIf(f -> f.is("smm"));
            features.children().add(new XmlNode("smm", null).set("state", "on"));
        }
    }

    /** Removes a device's {@code <child>} elements. */
    public void removeChildren(String element, int index, String child) {
        devices(element).get(index).removeIf(c -> child.equals(c.name()));
    }

    /** Sets {@code <memory>} or {@code <currentMemory>} to a size in KiB. */
    public void setMemoryKiB(String element, long kib) {
        DomainCanonicalizer.setMemory(root, element, kib);
    }

    /**
     * Sets {@code <vcpu>}: the maximum as its value, the vCPUs online at boot as {@code current} (left out when
     * they are all online, as libvirt writes it).
     */
    public void setVcpus(int maximum, int current) {
        XmlNode vcpu = root.child("vcpu");
        vcpu.setText(Integer.toString(maximum));
        vcpu.set("current", current == maximum ? null : Integer.toString(current));
    }

    /**
     * Pins vCPU {@code vcpu} ({@code <vcpupin>}) or, with a negative vcpu, the emulator ({@code <emulatorpin>})
     * to the host CPUs of {@code cpus}; the pins stay in vCPU order, the emulator's after them.
     */
    public void setPin(int vcpu, BitSet cpus) {
        XmlNode cputune = root.child("cputune");
        if (cputune == null) {
            cputune = new XmlNode("cputune", null);
            root.children().add(cputune);
        }
        String element = vcpu < 0 ? "emulatorpin" : "vcpupin";
        String number = Integer.toString(vcpu);
        cputune.removeIf(c -> c.is(element) && (vcpu < 0 || number.equals(c.attr("vcpu"))));
        XmlNode pin = new XmlNode(element, null);
        if (vcpu >= 0) {
            pin.set("vcpu", number);
        }
        pin.set("cpuset", CpuTuneRules.format(cpus));
        List<XmlNode> children = cputune.children();
        int at = 0;
        while (at < children.size() && before(children.get(at), vcpu)) {
            at++;
        }
        cputune.insert(at, pin);
    }

    /** Whether an existing cputune child comes before the pin of {@code vcpu} (negative: the emulator's). */
    private static boolean before(XmlNode child, int vcpu) {
        if (List.of("shares", "period", "quota", "global_period", "global_quota", "emulator_period",
            "emulator_quota", "iothread_period", "iothread_quota").contains(child.name())) {
            return true;
        }
        if (child.is("vcpupin")) {
            return vcpu < 0 || Integer.parseInt(child.attr("vcpu").strip()) < vcpu;
        }
        return false;
    }

    /**
     * The {@code <child>} elements of the top-level {@code <top>} as a map from one attribute to another
     * ({@code <perf><event name= enabled=>}, {@code <cputune><iothreadpin iothread= cpuset=>}).
     */
    public Map<String, String> childAttributes(String top, String child, String key, String value) {
        Map<String, String> result = new java.util.LinkedHashMap<>();
        XmlNode parent = root.child(top);
        if (parent != null) {
            for (XmlNode node : parent.children(child)) {
                if (node.attr(key) != null) {
                    result.put(node.attr(key), node.attr(value));
                }
            }
        }
        return result;
    }

    /** An attribute of the first {@code <child>} of the top-level {@code <top>}, null when absent. */
    public String topAttr(String top, String child, String attribute) {
        XmlNode parent = root.child(top);
        XmlNode node = parent == null ? null : parent.child(child);
        return node == null ? null : node.attr(attribute);
    }

    /** The IOThread ids: those {@code <iothreadids>} lists, else 1..{@code <iothreads>}. */
    public List<Integer> iothreadIds() {
        List<Integer> ids = new java.util.ArrayList<>();
        XmlNode listed = root.child("iothreadids");
        if (listed != null && !listed.children("iothread").isEmpty()) {
            listed.children("iothread").forEach(t -> ids.add(Integer.parseInt(t.attr("id").strip())));
            return ids;
        }
        String count = root.childText("iothreads");
        for (int i = 1; count != null && i <= Integer.parseInt(count.strip()); i++) {
            ids.add(i);
        }
        return ids;
    }

    /**
     * Adds IOThread {@code id}: {@code <iothreadids>} then names every IOThread (those {@code <iothreads>} counted
     * get their ids first) and {@code <iothreads>} counts them, as libvirt writes it.
     */
    public void addIothread(int id) {
        List<Integer> ids = iothreadIds();
        XmlNode listed = listedIothreads(ids);
        listed.children().add(new XmlNode("iothread", null).set("id", Integer.toString(id)));
        setIothreadCount(ids.size() + 1);
    }

    /** Removes IOThread {@code id} and its {@code <iothreadpin>}. */
    public void removeIothread(int id) {
        List<Integer> ids = iothreadIds();
        XmlNode listed = listedIothreads(ids);
        String number = Integer.toString(id);
        listed.removeIf(t -> t.is("iothread") && number.equals(t.attr("id").strip()));
        if (listed.children().isEmpty()) {
            root.removeIf(c -> c == listed);
        }
        setIothreadCount(ids.size() - 1);
        XmlNode cputune = root.child("cputune");
        if (cputune != null) {
            cputune.removeIf(c -> c.is("iothreadpin") && number.equals(c.attr("iothread").strip()));
            if (cputune.children().isEmpty()) {
                root.removeIf(c -> c == cputune);
            }
        }
    }

    /** Sets attributes of {@code <iothreadids><iothread id>} (thread_pool_min, thread_pool_max); null removes one. */
    public void setIothreadAttrs(int id, Map<String, String> attributes) {
        XmlNode listed = listedIothreads(iothreadIds());
        for (XmlNode thread : listed.children("iothread")) {
            if (Integer.toString(id).equals(thread.attr("id").strip())) {
                attributes.forEach(thread::set);
            }
        }
    }

    /** The attributes of IOThread {@code id} in {@code <iothreadids>}, empty when it is only counted. */
    public Map<String, String> iothreadAttrs(int id) {
        XmlNode listed = root.child("iothreadids");
        if (listed != null) {
            for (XmlNode thread : listed.children("iothread")) {
                if (Integer.toString(id).equals(thread.attr("id").strip())) {
                    return Map.copyOf(thread.attributes());
                }
            }
        }
        return Map.of();
    }

    private XmlNode listedIothreads(List<Integer> ids) {
        XmlNode listed = root.child("iothreadids");
        if (listed == null) {
            listed = new XmlNode("iothreadids", null);
            root.children().add(listed);
        }
        if (listed.children("iothread").isEmpty()) {
            for (int id : ids) {
                listed.children().add(new XmlNode("iothread", null).set("id", Integer.toString(id)));
            }
        }
        return listed;
    }

    private void setIothreadCount(int count) {
        root.removeIf(c -> c.is("iothreads"));
        if (count > 0) {
            XmlNode node = new XmlNode("iothreads", null);
            node.setText(Integer.toString(count));
            root.children().add(node);
        }
    }

    /** Pins IOThread {@code id} ({@code <cputune><iothreadpin>}) to {@code cpus}, after the vCPU and emulator pins. */
    public void setIothreadPin(int id, BitSet cpus) {
        XmlNode cputune = root.child("cputune");
        if (cputune == null) {
            cputune = new XmlNode("cputune", null);
            root.children().add(cputune);
        }
        String number = Integer.toString(id);
        List<XmlNode> children = cputune.children();
        int at = children.size();
        for (int i = 0; i < children.size(); i++) {
            XmlNode c = children.get(i);
            if (c.is("iothreadpin") && number.equals(c.attr("iothread").strip())) {
                at = i;
                break;
            }
            if (!c.is("vcpupin") && !c.is("emulatorpin") && !c.is("iothreadpin") && !before(c, -1)) {
                at = Math.min(at, i);
            }
        }
        XmlNode pin = new XmlNode("iothreadpin", null).set("iothread", number).set("cpuset", CpuTuneRules.format(cpus));
        cputune.removeIf(c -> c.is("iothreadpin") && number.equals(c.attr("iothread").strip()));
        cputune.insert(Math.min(at, cputune.children().size()), pin);
    }

    /** The text of each child of a device's {@code <child>} ({@code <disk><iotune>}), in document order. */
    public Map<String, String> deviceChildTexts(String element, int index, String child) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        XmlNode node = devices(element).get(index).child(child);
        if (node != null) {
            node.children().forEach(c -> values.put(c.name(), c.text() == null ? "" : c.text().strip()));
        }
        return values;
    }

    /**
     * Replaces a device's {@code <child>} by one with these children and texts, in the map's order (an empty map
     * removes it); a new one goes before the first of {@code before} the device has, else last.
     */
    public void setDeviceChildTexts(String element, int index, String child, Map<String, String> values,
                                    List<String> before) {
        XmlNode device = devices(element).get(index);
        List<XmlNode> children = device.children();
        XmlNode old = device.child(child);
        int at = children.size();
        if (old != null) {
            at = children.indexOf(old);
        } else {
            for (int i = 0; i < children.size(); i++) {
                if (before.contains(children.get(i).name())) {
                    at = i;
                    break;
                }
            }
        }
        device.removeIf(c -> child.equals(c.name()));
        if (!values.isEmpty()) {
            XmlNode node = new XmlNode(child, null);
            values.forEach((name, text) -> {
                XmlNode value = new XmlNode(name, null);
                value.setText(text);
                node.children().add(value);
            });
            device.insert(at, node);
        }
    }

    /**
     * Replaces a device's {@code <child>} by one whose {@code <grandchild>} elements carry these attributes (an
     * interface's {@code <bandwidth>} with inbound and outbound); empty maps are left out, and with none left the
     * child goes. A new child goes before the first of {@code before} the device has, else last.
     */
    public void setDeviceGrandchildren(String element, int index, String child, Map<String, Map<String, String>> values,
                                       List<String> before) {
        XmlNode device = devices(element).get(index);
        List<XmlNode> children = device.children();
        XmlNode old = device.child(child);
        int at = children.size();
        if (old != null) {
            at = children.indexOf(old);
        } else {
            for (int i = 0; i < children.size(); i++) {
                if (before.contains(children.get(i).name())) {
                    at = i;
                    break;
                }
            }
        }
        device.removeIf(c -> child.equals(c.name()));
        XmlNode node = new XmlNode(child, null);
        values.forEach((name, attributes) -> {
            if (!attributes.isEmpty()) {
                XmlNode inner = new XmlNode(name, null);
                attributes.forEach(inner::set);
                node.children().add(inner);
            }
        });
        if (!node.children().isEmpty()) {
            device.insert(at, node);
        }
    }

    /** Sets the text of the top-level {@code <element>} ({@code <name>}, {@code <on_poweroff>}), adding it if absent. */
    public void setTopText(String element, String value) {
        XmlNode node = root.child(element);
        if (node == null) {
            node = new XmlNode(element, null);
            root.children().add(node);
        }
        node.setText(value);
    }

    /** The text of the top-level {@code <element>}, null when absent. */
    public String topText(String element) {
        String text = root.childText(element);
        return text == null ? null : text.strip();
    }

    /**
     * Sets the attributes of the first {@code <child>} of the top-level {@code <top>} ({@code <numatune><memory>}),
     * adding both when absent; null values remove attributes.
     */
    public void setTopChildAttrs(String top, String child, Map<String, String> attributes) {
        XmlNode parent = root.child(top);
        if (parent == null) {
            parent = new XmlNode(top, null);
            root.children().add(parent);
        }
        XmlNode node = parent.child(child);
        if (node == null) {
            node = new XmlNode(child, null);
            parent.insert(0, node);
        }
        attributes.forEach(node::set);
    }

    /** Enables or disables {@code <perf><event name>} events, adding {@code <perf>} and the events not yet there. */
    public void setPerfEvents(Map<String, Boolean> events) {
        XmlNode perf = root.child("perf");
        if (perf == null) {
            perf = new XmlNode("perf", null);
            root.children().add(perf);
        }
        for (Map.Entry<String, Boolean> event : events.entrySet()) {
            XmlNode node = null;
            for (XmlNode e : perf.children("event")) {
                if (event.getKey().equals(e.attr("name"))) {
                    node = e;
                }
            }
            if (node == null) {
                node = new XmlNode("event", null).set("name", event.getKey());
                perf.children().add(node);
            }
            node.set("enabled", event.getValue() ? "yes" : "no");
        }
    }

    /** The attributes of a device's {@code <child><grandchild>} (an interface's bandwidth/inbound), empty if absent. */
    public Map<String, String> deviceGrandchild(String element, int index, String child, String grandchild) {
        XmlNode node = devices(element).get(index).child(child);
        XmlNode inner = node == null ? null : node.child(grandchild);
        return inner == null ? Map.of() : Map.copyOf(inner.attributes());
    }

    /** Gives {@code <devices>} its {@code <emulator>} first, as libvirt's post-parse does, unless it has one. */
    public void defaultEmulator(String path) {
        XmlNode devices = root.child("devices");
        if (devices == null) {
            devices = new XmlNode("devices", null);
            root.children().add(devices);
        }
        if (devices.child("emulator") == null) {
            XmlNode emulator = new XmlNode("emulator", null);
            emulator.setText(path);
            devices.insert(0, emulator);
        }
    }

    /** The {@code <blkiotune><device>} entries, each as its children's names to their texts (path, weight, ...). */
    public List<Map<String, String>> blkioDevices() {
        List<Map<String, String>> devices = new java.util.ArrayList<>();
        XmlNode blkiotune = root.child("blkiotune");
        if (blkiotune != null) {
            for (XmlNode device : blkiotune.children("device")) {
                Map<String, String> values = new java.util.LinkedHashMap<>();
                device.children().forEach(c -> values.put(c.name(), c.text() == null ? "" : c.text().strip()));
                devices.add(values);
            }
        }
        return devices;
    }

    /** {@code <memtune><child>} in KiB, scaled by its unit; null when absent. */
    public Long memtuneKiB(String child) {
        XmlNode parent = root.child("memtune");
        XmlNode node = parent == null ? null : parent.child(child);
        if (node == null || node.text() == null) {
            return null;
        }
        return org.jvirtd.model.internal.ScaledInteger.toBytes(org.jvirtd.api.ErrorDomain.DOMAIN, child,
            node.text().strip(), node.attr("unit"), 1024, Long.MAX_VALUE) / 1024;
    }

    /** The text of {@code <top><child>} ({@code <memtune><hard_limit>}), null when absent. */
    public String tunable(String top, String child) {
        XmlNode parent = root.child(top);
        String text = parent == null ? null : parent.childText(child);
        return text == null ? null : text.strip();
    }

    /**
     * Sets {@code <top><child>} to {@code value} (null removes it, and an emptied {@code <top>} goes), keeping
     * the children of {@code <top>} in libvirt's {@code order}; {@code unit} (KiB for memtune) is written when not
     * null.
     */
    public void setTunable(String top, String child, String value, String unit, List<String> order) {
        XmlNode parent = root.child(top);
        if (parent == null) {
            if (value == null) {
                return;
            }
            parent = new XmlNode(top, null);
            root.children().add(parent);
        }
        parent.removeIf(c -> c.is(child));
        if (value != null) {
            XmlNode node = new XmlNode(child, null).set("unit", unit);
            node.setText(value);
            int rank = order.indexOf(child);
            List<XmlNode> children = parent.children();
            int at = 0;
            while (at < children.size() && order.contains(children.get(at).name())
                && order.indexOf(children.get(at).name()) < rank) {
                at++;
            }
            parent.insert(at, node);
        }
        if (parent.children().isEmpty()) {
            XmlNode emptied = parent;
            root.removeIf(c -> c == emptied);
        }
    }

    /** The edited document in canonical form, with {@link DomainXml#format}'s id and flags. */
    public String format(int id, int flags) {
        root.set("id", id >= 0 ? Integer.toString(id) : null);
        return DomainXml.format(DomainXml.parse(root.toTag().toString()), id, flags);
    }

    private List<XmlNode> devices(String element) {
        XmlNode devices = root.child("devices");
        return devices == null ? List.of() : devices.children(element);
    }
}
