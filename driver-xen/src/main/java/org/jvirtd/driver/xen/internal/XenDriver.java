package org.jvirtd.driver.xen.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.domain.StateReason;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.api.driver.HypervisorDriver;
import org.jvirtd.driver.xen.internal.caps.XenCapabilities;
import org.jvirtd.driver.xen.internal.caps.XenDomainCapabilities;
import org.jvirtd.driver.xen.internal.toolstack.XenSaveImage;
import org.jvirtd.driver.xen.internal.toolstack.XlCommand;
import org.jvirtd.driver.xen.internal.toolstack.XlDomainList;
import org.jvirtd.driver.xen.internal.toolstack.XlInfo;
import org.jvirtd.driver.xen.internal.toolstack.XlLongList;
import org.jvirtd.driver.xen.internal.xl.XlConversion;
import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.model.domain.DomainXml;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The Xen (libxl) hypervisor driver, xen:///system, driving Xen through the {@code xl} toolstack: a domain's id
 * is its Xen domain id, as with libvirt; host facts
 * from {@code xl info -n}, a domain started from the xl.cfg its definition converts to (written to the driver's
 * state directory), shut down, rebooted, destroyed, paused, saved and restored by {@code xl}, found again by UUID
 * in {@code xl list -l} after a restart, watched by polling {@code xl list} ({@link XenDomainWatch}). Domains are
 * named to xl by name, which Xen keeps unique and which survives xl's restart of a rebooting guest. Converting
 * domain XML to and from xl.cfg works on any host; every call that needs Xen fails on a host without it with a
 * libvirt error naming what is missing ({@link XenHost}).
 */
@Component(service = HypervisorDriver.class, property = HypervisorDriver.PROPERTY + "=xen")
public final class XenDriver implements HypervisorDriver {
    /** Runtime facts kept in the domain's status file: Xen's domain id and whether it is paused. */
    static final String DOMID = "xen.domid";
    static final String PAUSED = "xen.paused";

    private final XenHost host;
    private final XlCommand xl;
    private final XenDomainWatch watch;

    public XenDriver() {
        this(XenHost.system(), new XlCommand("xl"), Duration.ofSeconds(2));
    }

    XenDriver(XenHost host, XlCommand xl, Duration pollInterval) {
        this.host = host;
        this.xl = xl;
        this.watch = new XenDomainWatch(this::domainList, pollInterval);
    }

    /** The poller of this driver's domains (tests poll it at once instead of waiting). */
    XenDomainWatch watch() {
        return watch;
    }

    @Deactivate
    void deactivate() {
        watch.close();
    }

    @Override
    public String name() {
        return "xen";
    }

    @Override
    public String type() {
        return "Xen";
    }

    @Override
    public ErrorDomain errorDomain() {
        return ErrorDomain.LIBXL;
    }

    /** libvirt's libxl driver answers xen:///system (and the bare xen:///). */
    @Override
    public boolean accepts(URI uri) {
        String path = uri.getPath();
        return "xen".equals(uri.getScheme()) && ("/system".equals(path) || "/".equals(path) || "".equals(path));
    }

    // ---- host facts

    private XlInfo info(String api) {
        host.require(api);
        return XlInfo.parse(xl.run(XlCommand.QUICK, "info", "-n"));
    }

    /** Xen's version as libvirt's libxl driver reports it: major * 1,000,000 + minor * 1,000. */
    @Override
    public long hypervisorVersion() {
        XlInfo info = info("virConnectGetVersion");
        return info.number("xen_major") * 1_000_000L + info.number("xen_minor") * 1_000L;
    }

    @Override
    public String capabilities() {
        return XenCapabilities.xml(info("virConnectGetCapabilities"));
    }

    @Override
    public String domainCapabilities(String emulator, String arch, String machine, String virtType, int flags) {
        if (flags != 0) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LIBXL, "unsupported flags (0x"
                + Integer.toHexString(flags) + ") in function libxlConnectGetDomainCapabilities");
        }
        XlInfo info = info("virConnectGetDomainCapabilities");
        return XenDomainCapabilities.xml(emulator, arch, machine, virtType, info.machine());
    }

    /** The whole host as the hypervisor has it (dom0 itself may see fewer CPUs and less memory). */
    @Override
    public Connection.NodeInfo nodeInfo() {
        XlInfo info = info("virNodeGetInfo");
        return new Connection.NodeInfo(info.machine(), info.totalMemoryMiB() * 1024, info.number("nr_cpus"),
            info.mhz(), info.number("nr_nodes"), 1, info.number("cores_per_socket"),
            info.number("threads_per_core"));
    }

    /** libxl's maximum CPU count (max_cpu_id + 1), whatever type is asked for: libvirt's libxl driver ignores it. */
    @Override
    public int maxVcpus(String type) {
        return info("virConnectGetMaxVcpus").maxCpus();
    }

    /** A definition is only stored (that needs no Xen); it must be a Xen domain. */
    @Override
    public String validateDefinition(String xml) {
        DomainDef def = DomainXml.parse(xml, DomainXml.INACTIVE | DomainXml.NEW_DEFINITION);
        if (!"xen".equals(def.type())) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LIBXL,
                "could not find capabilities for domaintype=" + def.type());
        }
        return DomainXml.format(def, -1, DomainXml.SECURE); // parsed once, in libvirt's order
    }

    // ---- lifecycle

    /** Writes the domain's xl.cfg to the state directory and runs {@code xl create [-p]} on it. */
    @Override
    public void start(DomainHandle domain, boolean paused) {
        host.require("virDomainCreate");
        Path config = configFile(domain);
        write(config, XlConversion.toXlConfig(domain.xml()));
        if (paused) {
            xl.run(XlCommand.QUICK, "create", "-p", config.toString());
        } else {
            xl.run(XlCommand.QUICK, "create", config.toString());
        }
        running(domain, paused);
    }

    @Override
    public void shutdown(DomainHandle domain) {
        host.require("virDomainShutdown");
        xl.run(XlCommand.QUICK, "shutdown", domain.name());
    }

    @Override
    public void reboot(DomainHandle domain) {
        host.require("virDomainReboot");
        xl.run(XlCommand.QUICK, "reboot", domain.name());
    }

    @Override
    public void destroy(DomainHandle domain) {
        host.require("virDomainDestroy");
        watch.forget(domain.name());
        try {
            xl.run(XlCommand.QUICK, "destroy", domain.name());
        } catch (VirtException e) {
            rewatch(domain);
            throw e;
        }
    }

    @Override
    public void suspend(DomainHandle domain) {
        host.require("virDomainSuspend");
        xl.run(XlCommand.QUICK, "pause", domain.name());
        watch.known(domain.name(), true);
        domain.putRuntime(Map.of(PAUSED, "yes"));
    }

    @Override
    public void resume(DomainHandle domain) {
        host.require("virDomainResume");
        xl.run(XlCommand.QUICK, "unpause", domain.name());
        watch.known(domain.name(), false);
        domain.putRuntime(Map.of(PAUSED, "no"));
    }

    /**
     * {@code xl save} into a file beside {@code file}, then {@code file} as libvirt's libxl driver writes it: its
     * header and the live domain XML, followed by what xl saved. xl destroys the domain once it is saved.
     */
    @Override
    public void save(DomainHandle domain, Path file) {
        host.require("virDomainSave");
        Path state = file.resolveSibling(file.getFileName() + ".xl");
        watch.forget(domain.name());
        try {
            xl.run(XlCommand.LONG, "save", domain.name(), state.toString());
        } catch (VirtException e) {
            rewatch(domain);
            throw e;
        }
        try {
            XenSaveImage.write(file, domain.xml(), state);
        } finally {
            deleteQuietly(state);
        }
    }

    @Override
    public String saveImageXml(Path file) {
        return XenSaveImage.xml(file);
    }

    /** The guest state out of the image into the state directory, then {@code xl restore [-p]} of it. */
    @Override
    public void restore(DomainHandle domain, Path file, boolean paused) {
        host.require("virDomainRestore");
        Path state = domain.stateDir().resolve("xl").resolve(domain.name() + ".save");
        createDirectories(state.getParent());
        XenSaveImage.extractGuestState(file, state);
        try {
            if (paused) {
                xl.run(XlCommand.LONG, "restore", "-p", state.toString());
            } else {
                xl.run(XlCommand.LONG, "restore", state.toString());
            }
        } finally {
            deleteQuietly(state);
        }
        running(domain, paused);
    }

    /**
     * A domain recorded as running before the daemon restarted: found again by UUID in {@code xl list -l}, its
     * pause state brought up to date, watched again. Not found (or no Xen here any more): gone.
     */
    @Override
    public boolean reattach(DomainHandle domain) {
        if (host.missing() != null) {
            return false;
        }
        XlLongList.Domain found = XlLongList.parse(xl.run(XlCommand.QUICK, "list", "-l")).find(domain.uuid())
            .orElse(null);
        if (found == null) {
            return false;
        }
        XlDomainList.Entry entry = domainList().find(found.name()).orElse(null);
        if (entry == null) {
            return false;
        }
        boolean wasPaused = "yes".equals(domain.runtime().get(PAUSED));
        if (entry.domid() != domain.id()) {
            domain.setId(entry.domid());
        }
        domain.putRuntime(Map.of(DOMID, Integer.toString(entry.domid()), PAUSED, entry.paused() ? "yes" : "no"));
        watch.watch(domain, entry.domid(), entry.paused());
        if (entry.paused() != wasPaused) {
            // what libvirt's libxl driver says of a domain found paused or running on reconnect: reason unknown
            if (entry.paused()) {
                domain.stateChanged(DomainState.PAUSED, StateReason.UNKNOWN);
            } else {
                domain.stateChanged(DomainState.RUNNING, StateReason.UNKNOWN);
            }
        }
        return true;
    }

    @Override
    public long cpuTimeNanos(DomainHandle domain) {
        if (host.missing() != null) {
            return 0;
        }
        try {
            return domainList().find(domain.name()).map(XlDomainList.Entry::cpuTimeNanos).orElse(0L);
        } catch (VirtException e) {
            return 0;
        }
    }

    // ---- conversion

    @Override
    public String domainXmlFromNative(String format, String config) {
        nativeFormat(format);
        return XlConversion.toDomainXml(config);
    }

    @Override
    public String domainXmlToNative(String format, String xml) {
        nativeFormat(format);
        return XlConversion.toXlConfig(xml);
    }

    /** Only xen-xl is read and written; libvirt's older xen-xm and xen-sxpr formats are not. */
    private static void nativeFormat(String format) {
        if (!XlConversion.FORMAT.equals(format)) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LIBXL, "unsupported config type " + format);
        }
    }

    // ---- helpers

    private XlDomainList domainList() {
        return XlDomainList.parse(xl.run(XlCommand.QUICK, "list"));
    }

    /**
     * After xl started the domain: its domain id recorded, and watched from now on. If that fails the start
     * fails, so the domain xl started is destroyed rather than left running unknown to core.
     */
    private void running(DomainHandle domain, boolean paused) {
        int domid;
        try {
            domid = Integer.parseInt(xl.run(XlCommand.QUICK, "domid", domain.name()).strip());
        } catch (VirtException | NumberFormatException e) {
            try {
                xl.run(XlCommand.QUICK, "destroy", domain.name());
            } catch (VirtException destroyFailed) {
                e.addSuppressed(destroyFailed);
            }
            throw e instanceof VirtException v ? v : new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.LIBXL,
                "'xl domid " + domain.name() + "' printed no domain id: " + e.getMessage());
        }
        domain.setId(domid);
        domain.putRuntime(Map.of(DOMID, Integer.toString(domid), PAUSED, paused ? "yes" : "no"));
        watch.watch(domain, domid, paused);
    }

    /** A stop through xl failed, so the domain still runs: watched again as it was. */
    private void rewatch(DomainHandle domain) {
        String domid = domain.runtime().get(DOMID);
        watch.watch(domain, domid == null ? -1 : Integer.parseInt(domid), "yes".equals(domain.runtime().get(PAUSED)));
    }

    static Path configFile(DomainHandle domain) {
        return domain.stateDir().resolve("xl").resolve(domain.name() + ".cfg");
    }

    private static void write(Path file, String text) {
        createDirectories(file.getParent());
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.LIBXL,
                "cannot write xl configuration '" + file + "': " + e.getMessage());
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.LIBXL,
                "cannot create directory '" + dir + "': " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temporary file; the next save or restore overwrites it
        }
    }
}
