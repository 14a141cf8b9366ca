package org.jvirtd.iface;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.HostInterfaces;
import org.jvirtd.api.iface.InterfaceFlags;
import org.jvirtd.api.iface.InterfaceRef;
import org.jvirtd.model.iface.HostInterfaceDef;
import org.jvirtd.model.iface.HostInterfaceXml;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The host interface driver (libvirt's virtinterfaced with its udev backend, as Debian builds it): the
 * host's network interfaces read from sysfs ({@code class/net}) on every call, active when operationally up.
 * It is read-only: defining, undefining, starting and stopping interfaces is not offered, so those calls
 * answer "not supported" as libvirt's udev backend does.
 */
@Component(service = HostInterfaces.class, immediate = true)
public final class HostInterfaceDriver implements HostInterfaces {
    private final Path classNet;

    @Activate
    public HostInterfaceDriver() {
        this(Path.of("/sys"));
    }

    /** A driver over another sysfs layout. */
    public HostInterfaceDriver(Path sys) {
        this.classNet = sys.resolve("class/net");
    }

    private List<HostInterfaceDef> interfaces() {
        List<HostInterfaceDef> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(classNet)) {
            for (Path iface : entries.sorted().toList()) {
                out.add(describe(iface));
            }
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.INTERFACE, "cannot list " + classNet + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static HostInterfaceDef describe(Path iface) {
        String state = read(iface.resolve("operstate"));
        Long speed = null;
        if ("up".equals(state)) {
            try {
                String text = read(iface.resolve("speed"));
                speed = text == null ? null : Long.parseLong(text) & 0xffffffffL;
            } catch (NumberFormatException e) {
                speed = null;
            }
        }
        int mtu;
        try {
            String text = read(iface.resolve("mtu"));
            mtu = text == null ? 0 : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            mtu = 0;
        }
        return new HostInterfaceDef(iface.getFileName().toString(), mtu, speed, state, read(iface.resolve("address")));
    }

    private static String read(Path attribute) {
        try {
            String text = Files.readString(attribute).strip();
            return text.isEmpty() ? null : text;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static InterfaceRef ref(HostInterfaceDef def) {
        return new InterfaceRef(def.name(), def.mac());
    }

    @Override
    public List<InterfaceRef> listAll(int flags) {
        VirtErrors.checkFlags(ErrorDomain.INTERFACE, flags, InterfaceFlags.LIST_ACTIVE | InterfaceFlags.LIST_INACTIVE,
            "udevConnectListAllInterfaces");
        boolean active = (flags & InterfaceFlags.LIST_ACTIVE) != 0;
        boolean inactive = (flags & InterfaceFlags.LIST_INACTIVE) != 0;
        List<InterfaceRef> out = new ArrayList<>();
        for (HostInterfaceDef def : interfaces()) {
            if (active == inactive || def.active() == active) {
                out.add(ref(def));
            }
        }
        return out;
    }

    @Override
    public List<String> listNames(boolean active) {
        String state = active ? "up" : "down";
        return interfaces().stream().filter(def -> state.equals(def.state())).map(HostInterfaceDef::name).toList();
    }

    private HostInterfaceDef find(String name) {
        for (HostInterfaceDef def : interfaces()) {
            if (def.name().equals(name)) {
                return def;
            }
        }
        throw new VirtException(ErrorCode.NO_INTERFACE, ErrorDomain.INTERFACE,
            "couldn't find interface named '" + name + "'");
    }

    @Override
    public InterfaceRef lookupByName(String name) {
        return ref(find(name));
    }

    @Override
    public InterfaceRef lookupByMac(String mac) {
        for (HostInterfaceDef def : interfaces()) {
            if (mac.equals(def.mac())) {
                return ref(def);
            }
        }
        throw new VirtException(ErrorCode.NO_INTERFACE, ErrorDomain.INTERFACE,
            "couldn't find interface with MAC address '" + mac + "'");
    }

    @Override
    public String xml(InterfaceRef iface, int flags) {
        VirtErrors.checkFlags(ErrorDomain.INTERFACE, flags, InterfaceFlags.XML_INACTIVE, "udevInterfaceGetXMLDesc");
        return HostInterfaceXml.format(find(iface.name()));
    }

    @Override
    public boolean isActive(InterfaceRef iface) {
        return find(iface.name()).active();
    }
}
