package org.jvirtd.driver.xen.internal;

import java.nio.file.Path;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.api.driver.HypervisorDriver;
import org.jvirtd.driver.xen.internal.xl.XlConversion;
import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.model.domain.DomainXml;
import org.osgi.service.component.annotations.Component;

/**
 * The Xen (libxl) hypervisor driver, xen:///system. Converts domain XML to and from xl.cfg on any host; every
 * call that needs a Xen hypervisor fails with a libvirt error naming what this host lacks (see {@link XenHost}).
 * Domain lifecycle through {@code xl} is not written yet.
 */
@Component(service = HypervisorDriver.class, property = HypervisorDriver.PROPERTY + "=xen")
public final class XenDriver implements HypervisorDriver {
    private final XenHost host;

    public XenDriver() {
        this(XenHost.system());
    }

    XenDriver(XenHost host) {
        this.host = host;
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
    public boolean accepts(java.net.URI uri) {
        String path = uri.getPath();
        return "xen".equals(uri.getScheme()) && ("/system".equals(path) || "/".equals(path) || "".equals(path));
    }

    @Override
    public long hypervisorVersion() {
        throw host.unavailable("virConnectGetVersion");
    }

    @Override
    public String capabilities() {
        throw host.unavailable("virConnectGetCapabilities");
    }

    @Override
    public int maxVcpus(String type) {
        throw host.unavailable("virConnectGetMaxVcpus");
    }

    /** A definition is only stored (that needs no Xen); it must be a Xen domain. */
    @Override
    public String validateDefinition(String xml) {
        DomainDef def = DomainXml.parse(xml, DomainXml.INACTIVE);
        if (!"xen".equals(def.type())) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LIBXL,
                "could not find capabilities for domaintype=" + def.type());
        }
        return xml;
    }

    @Override
    public void start(DomainHandle domain, boolean paused) {
        throw host.unavailable("virDomainCreate");
    }

    @Override
    public void shutdown(DomainHandle domain) {
        throw host.unavailable("virDomainShutdown");
    }

    @Override
    public void reboot(DomainHandle domain) {
        throw host.unavailable("virDomainReboot");
    }

    @Override
    public void destroy(DomainHandle domain) {
        throw host.unavailable("virDomainDestroy");
    }

    @Override
    public void suspend(DomainHandle domain) {
        throw host.unavailable("virDomainSuspend");
    }

    @Override
    public void resume(DomainHandle domain) {
        throw host.unavailable("virDomainResume");
    }

    @Override
    public void save(DomainHandle domain, Path file) {
        throw host.unavailable("virDomainSave");
    }

    @Override
    public void restore(DomainHandle domain, Path file, boolean paused) {
        throw host.unavailable("virDomainRestore");
    }

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
}
