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
        host.require("virConnectGetVersion");
        return 0;
    }

    @Override
    public String capabilities() {
        host.require("virConnectGetCapabilities");
        return null;
    }

    @Override
    public int maxVcpus(String type) {
        host.require("virConnectGetMaxVcpus");
        return 0;
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
        host.require("virDomainCreate");
    }

    @Override
    public void shutdown(DomainHandle domain) {
        host.require("virDomainShutdown");
    }

    @Override
    public void reboot(DomainHandle domain) {
        host.require("virDomainReboot");
    }

    @Override
    public void destroy(DomainHandle domain) {
        host.require("virDomainDestroy");
    }

    @Override
    public void suspend(DomainHandle domain) {
        host.require("virDomainSuspend");
    }

    @Override
    public void resume(DomainHandle domain) {
        host.require("virDomainResume");
    }

    @Override
    public void save(DomainHandle domain, Path file) {
        host.require("virDomainSave");
    }

    @Override
    public void restore(DomainHandle domain, Path file, boolean paused) {
        host.require("virDomainRestore");
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
